import * as tf from '@tensorflow/tfjs-core';
import { maskedSoftmaxCrossEntropy } from '../blocks/softmax-cross-entropy';

/** State index of "positive" among {0 blank, 1 positive, 2 negative, 3 uncertain}. */
export const POSITIVE_STATE = 1;

/**
 * PromptMRG's adaptive logit-adjusted cross-entropy: `log(basePriors[c])` is added to the
 * positive-state logit of observation c, then the 4-way cross-entropy is averaged over the
 * `B × L` (study, observation) pairs. Rare positives (small prior) must earn a larger raw logit,
 * which the classifier keeps at inference, where no adjustment is applied.
 *
 * @param logits `[B, L, S]` raw state logits
 * @param targets `[B, L]` int32 state ids
 * @param logPriors `[L]` log base probabilities (a constant: no gradient flows into it)
 */
export function logitAdjustedCrossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D, logPriors: tf.Tensor1D): tf.Scalar {
  const [b, l, s] = logits.shape;
  const shift = tf.mul(tf.reshape(logPriors, [1, l, 1]), tf.reshape(tf.oneHot(POSITIVE_STATE, s), [1, 1, s]));
  const adjusted = tf.reshape(tf.add(logits, shift), [b * l, s]) as tf.Tensor2D;
  return maskedSoftmaxCrossEntropy(adjusted, tf.reshape(tf.cast(targets, 'int32'), [b * l]) as tf.Tensor1D, tf.ones([b * l]) as tf.Tensor1D);
}
