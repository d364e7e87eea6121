import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link prototypeContrastLoss}. */
export interface PrototypeContrastOptions {
  /** Hinge margin for pairs sharing no label (XProNet 0.4). */
  readonly margin: number;
  /** Base of the target similarity of label-sharing pairs (XProNet 1.5). */
  readonly alpha: number;
}

/**
 * XProNet's improved multi-label contrastive loss (`my_con_loss`), vectorised over the B² pairs.
 * Features are L2-normalised (`F.normalize`, eps 1e-12) and `c_ij` is their cosine. For a pair
 * sharing at least one positive label the target is `t_ij = 1/α^(|l_i − l_j|₁ / Σ(l_i + l_j))`
 * and the loss `max(0, t_ij − c_ij)`; for any other pair (including i = j when study i has no
 * positive label) it is `max(0, c_ij − margin)`. The sum is divided by B².
 *
 * @param features `[B, d]`
 * @param labels binary multi-hot `[B, C]`
 */
export function prototypeContrastLoss(features: tf.Tensor2D, labels: tf.Tensor2D, options: PrototypeContrastOptions): tf.Scalar {
  const b = features.shape[0];
  const norm = tf.maximum(tf.sqrt(tf.sum(tf.square(features), 1, true)), 1e-12);
  const unit = tf.div(features, norm);
  const cos = tf.matMul(unit, unit, false, true);
  const shared = tf.cast(tf.greater(tf.matMul(labels, labels, false, true), 0), 'float32');
  const li = tf.expandDims(labels, 1);
  const lj = tf.expandDims(labels, 0);
  const diff = tf.sum(tf.abs(tf.sub(li, lj)), 2);
  const total = tf.maximum(tf.sum(tf.add(li, lj), 2), 1);
  const target = tf.exp(tf.mul(tf.div(diff, total), -Math.log(options.alpha)));
  const pos = tf.mul(tf.relu(tf.sub(target, cos)), shared);
  const neg = tf.mul(tf.relu(tf.sub(cos, options.margin)), tf.sub(1, shared));
  return tf.div(tf.sum(tf.add(pos, neg)), b * b) as tf.Scalar;
}
