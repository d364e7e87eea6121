import * as tf from '@tensorflow/tfjs-core';
import { maskedSoftmaxCrossEntropy } from '../blocks/softmax-cross-entropy';

/** Index of the positive state in the 4-way {blank, positive, negative, uncertain} layout. */
export const POSITIVE_STATE = 1;

/**
 * PromptMRG's adaptive logit-adjusted 4-way cross-entropy (used by DDaTR for both heads):
 * `log(baseProbs[c])` is added to the POS logit of observation c before a softmax over the four
 * states; the loss is the mean over the (sample, observation) pairs whose sample weight is 1.
 *
 * @param logits `[B, C, 4]`
 * @param targets `[B, C]` int32 state ids
 * @param logBase `[C]` log base probabilities
 * @param sampleMask `[B]` in {0, 1} (DDaTR masks the prior head on studies without a prior)
 */
export function logitAdjustedStateLoss(logits: tf.Tensor3D, targets: tf.Tensor2D, logBase: tf.Tensor1D, sampleMask?: tf.Tensor1D): tf.Scalar {
  const [b, c, s] = logits.shape;
  const shift = tf.mul(tf.reshape(logBase, [1, c, 1]), tf.reshape(tf.oneHot(POSITIVE_STATE, s), [1, 1, s]));
  const adjusted = tf.reshape(tf.add(logits, shift), [b * c, s]) as tf.Tensor2D;
  const mask = sampleMask === undefined ? tf.ones([b * c]) : tf.reshape(tf.tile(tf.reshape(sampleMask, [b, 1]), [1, c]), [b * c]);
  return maskedSoftmaxCrossEntropy(adjusted, tf.reshape(tf.cast(targets, 'int32'), [b * c]) as tf.Tensor1D, mask as tf.Tensor1D);
}

/**
 * Base probabilities from the training labels: the frequency of the positive code (1) per
 * observation, floored at `minProb` (PromptMRG's initial `base_probs`).
 *
 * @param labels14 CheXpert codes per study (1, 0, −1, −2), 14 each
 */
export function positiveFrequencies(labels14: readonly ArrayLike<number>[], classes: number, minProb: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const row of labels14) for (let c = 0; c < classes; c++) if (row[c] === 1) counts[c] = (counts[c] as number) + 1;
  return counts.map((n) => Math.max(minProb, labels14.length === 0 ? 1 : n / labels14.length));
}

/**
 * PromptMRG's re-estimation after validation: the mean predicted POS probability on
 * reference-positive samples, normalised by its maximum, floored at `minProb`. An observation
 * without reference positives (a non-finite mean) keeps its `current` value. Returns undefined
 * when no class has a positive mean (nothing to normalise by).
 */
export function reestimatedBaseProbs(meanPositiveProb: readonly number[], minProb: number, current: readonly number[]): number[] | undefined {
  const max = Math.max(...meanPositiveProb.map((x) => (Number.isFinite(x) ? x : 0)));
  if (!(max > 0)) return undefined;
  return meanPositiveProb.map((x, i) => (Number.isFinite(x) ? Math.max(minProb, x / max) : (current[i] as number)));
}
