import * as tf from '@tensorflow/tfjs-core';

/**
 * RotoGrad's rotation of the leading m features of every row of an N×d matrix: y = R z on those
 * coordinates (row form Y = Z Rᵀ), the rest untouched. R is row-major m×m float64, cast once.
 */
export function rotateRows(rows: tf.Tensor, R: readonly number[], m: number): tf.Tensor {
  return mapLeading(rows, m, (lead) => tf.matMul(lead, tf.tensor2d(Float32Array.from(R), [m, m]), false, true));
}

/** The pull-back of a gradient at the rotated rows to the unrotated ones: g = Rᵀ g̃ (row form G̃ R). */
export function unrotateRows(rows: tf.Tensor, R: readonly number[], m: number): tf.Tensor {
  return mapLeading(rows, m, (lead) => tf.matMul(lead, tf.tensor2d(Float32Array.from(R), [m, m])));
}

function mapLeading(rows: tf.Tensor, m: number, f: (lead: tf.Tensor2D) => tf.Tensor): tf.Tensor {
  const [n, d] = rows.shape as [number, number];
  if (m === d) return f(rows as tf.Tensor2D);
  const lead = tf.slice(rows, [0, 0], [n, m]) as tf.Tensor2D;
  return tf.concat([f(lead), tf.slice(rows, [0, m], [n, d - m])], 1);
}
