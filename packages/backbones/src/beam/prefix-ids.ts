import * as tf from '@tensorflow/tfjs-core';

/**
 * The decoder input of beam hypotheses: `[BOS, prefix…]` ids `[rows, t + 1]` (BOS = 0) for
 * `rows` prefixes of equal length t, as every step of a beam search feeds its decoder.
 */
export function prefixIds(prefixes: readonly (readonly number[])[]): tf.Tensor2D {
  const rows = prefixes.length;
  const t = (prefixes[0]?.length ?? 0) + 1;
  const ids = new Int32Array(rows * t);
  prefixes.forEach((p, r) => ids.set(p, r * t + 1));
  return tf.tensor2d(ids, [rows, t], 'int32');
}
