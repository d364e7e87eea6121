import * as tf from '@tensorflow/tfjs-core';

/**
 * Min–max normalisation over the last axis with CAMANet's floor: `(x − min) / max(max(x − min), 1e-12)`.
 * A constant row becomes all zeros.
 */
export function minMaxNormalize<T extends tf.Tensor>(x: T): T {
  const axis = x.rank - 1;
  const shifted = tf.sub(x, tf.min(x, axis, true));
  return tf.div(shifted, tf.maximum(tf.max(shifted, axis, true), 1e-12)) as T;
}

/**
 * CAMANet's visual discriminative map, as a constant (no gradient reaches any input, as the
 * official code computes it under `no_grad`):
 * - class activation maps `cam[b, n, k] = Σ_c tokens[b, n, c] · W[c, k]` for the 14 classes (the
 *   head's weights, without its bias);
 * - classes predicted positive, `σ(logit) ≥ 0.5`, keep their map and the others become 0;
 * - the foreground map is the maximum over classes, min–max normalised over the patches.
 *
 * @param tokens patch features `[B, N, C]` (all views' patches, as the CAM spans both IU views)
 * @param headWeight the multi-label head's weight `[C, K]`
 * @param logits the head's logits `[B, K]`
 * @returns `[B, N]` in [0, 1]
 */
export function foregroundMap(tokens: tf.Tensor3D, headWeight: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor2D {
  // Every forward op below runs inside customGrad, so it is not taped: the thresholding and the
  // maximum never see a gradient, and the gradient to every input is exactly 0.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, w, z] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
    const [b, n, c] = t.shape;
    const k = w.shape[1];
    const cams = tf.reshape(tf.matMul(tf.reshape(t, [b * n, c]), w), [b, n, k]);
    const positive = tf.reshape(tf.cast(tf.greaterEqual(tf.sigmoid(z), 0.5), 'float32'), [b, 1, k]);
    const value = minMaxNormalize(tf.max(tf.mul(cams, positive), 2));
    return { value, gradFunc: () => [tf.zerosLike(t), tf.zerosLike(w), tf.zerosLike(z)] };
  });
  return op(tokens, headWeight, logits) as tf.Tensor2D;
}
