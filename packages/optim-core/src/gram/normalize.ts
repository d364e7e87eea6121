import type { Matrix } from '../types';

/** A Gram matrix divided by its mean diagonal, with the divisor kept to undo it. */
export interface NormalizedGramian {
  /** M̃ = M / s² (all zeros when s² = 0). */
  readonly gram: Matrix;
  /** s² = tr(M)/K, the mean squared task-gradient norm. 0 means every row is zero. */
  readonly scale: number;
}

/**
 * Normalises M to M̃ = M/(tr M / K) (came-grad.md §3, mtl-methods.md §8). Every weighting in this
 * package is homogeneous of degree 0 in M, so it solves on M̃ with purely relative tolerances.
 * Scaling the gradients by a power of two scales M and tr M/K by the same power of four, so M̃ is
 * bitwise identical: that is what makes the weights bitwise scale-invariant under 2^k.
 */
export function normalizeGramian(gram: Matrix): NormalizedGramian {
  const K = gram.rows;
  const src = gram.data;
  let trace = 0;
  for (let i = 0; i < K; i++) trace += src[i * K + i] as number;
  const scale = trace / K;
  const data = new Float64Array(K * K);
  if (scale > 0) {
    for (let t = 0; t < K * K; t++) data[t] = (src[t] as number) / scale;
  }
  return { gram: { rows: K, cols: K, data }, scale: scale > 0 ? scale : 0 };
}
