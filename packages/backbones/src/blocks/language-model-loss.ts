import * as tf from '@tensorflow/tfjs-core';
import { maskedSoftmaxCrossEntropy } from './softmax-cross-entropy';

/**
 * The R2Gen family's `LanguageModelCriterion`: logits `[B, T−1, V]` for the inputs `ids[:, :-1]`,
 * targets `ids[:, 1:]`, mean NLL over the positions where `mask[:, 1:]` is 1.
 */
export function languageModelLoss(logits: tf.Tensor3D, reportIds: tf.Tensor2D, reportMask: tf.Tensor2D): tf.Scalar {
  const [b, t, v] = logits.shape;
  const targets = tf.reshape(tf.slice(reportIds, [0, 1], [-1, -1]), [b * t]) as tf.Tensor1D;
  const mask = tf.reshape(tf.slice(reportMask, [0, 1], [-1, -1]), [b * t]) as tf.Tensor1D;
  return maskedSoftmaxCrossEntropy(tf.reshape(logits, [b * t, v]), targets, mask);
}
