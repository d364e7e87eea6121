import * as tf from '@tensorflow/tfjs-core';

/**
 * Multi-label binary cross-entropy with logits, mean over the batch and the labels:
 * `max(x, 0) − x·z + log(1 + exp(−|x|))` (the stable form of PyTorch's `BCEWithLogitsLoss`).
 */
export function multiLabelBceLoss(logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  const stable = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  return tf.mean(stable);
}
