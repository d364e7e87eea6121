import { NonFiniteError, ShapeError } from '../errors';
import type { GradientRows } from '../types';
import { checkRowShape, findNonFinite } from './rows';

/** Elements per cache block: the output block (8 KiB of float64) stays in L1 across all K rows. */
const BLOCK = 1024;

/**
 * The combination Σ_i w_i·rows[i] as a Float64Array(D), accumulated in float64 in task order
 * (deterministic: the same rows and weights give bitwise-identical output).
 *
 * Throws `ShapeError` for ragged rows or a weight vector of the wrong length, and
 * `NonFiniteError` for a non-finite weight or a non-finite entry in a row. Rows are scanned for
 * finiteness only when the output is non-finite, so valid input pays one pass over the output.
 */
export function combine(rows: GradientRows, weights: ArrayLike<number>): Float64Array {
  const { K, D } = checkRowShape(rows);
  if (weights.length !== K) throw new ShapeError('weights', `length ${K} (one per row)`, `length ${weights.length}`);
  for (let i = 0; i < K; i++) {
    if (!Number.isFinite(weights[i])) throw new NonFiniteError('weights', i, weights[i]);
  }
  const out = new Float64Array(D);
  for (let start = 0; start < D; start += BLOCK) {
    const end = Math.min(D, start + BLOCK);
    combineBlock(rows, weights, K, start, end, out);
  }
  for (let d = 0; d < D; d++) {
    if (!Number.isFinite(out[d])) {
      for (let i = 0; i < K; i++) {
        const row = rows[i] as ArrayLike<number>;
        const at = findNonFinite(row);
        if (at >= 0) throw new NonFiniteError(`rows[${i}]`, at, Number(row[at]));
      }
      throw new NonFiniteError('combination (overflow)', d, out[d]);
    }
  }
  return out;
}

function combineBlock(
  rows: GradientRows, w: ArrayLike<number>, K: number, start: number, end: number, out: Float64Array,
): void {
  // Four rows per pass: one load and one store of the output per four multiply-adds.
  let i = 0;
  for (; i + 3 < K; i += 4) {
    const r0 = rows[i] as ArrayLike<number>, r1 = rows[i + 1] as ArrayLike<number>;
    const r2 = rows[i + 2] as ArrayLike<number>, r3 = rows[i + 3] as ArrayLike<number>;
    const w0 = w[i] as number, w1 = w[i + 1] as number, w2 = w[i + 2] as number, w3 = w[i + 3] as number;
    for (let d = start; d < end; d++) {
      out[d] = (out[d] as number) + w0 * (r0[d] as number) + w1 * (r1[d] as number)
        + w2 * (r2[d] as number) + w3 * (r3[d] as number);
    }
  }
  for (; i + 1 < K; i += 2) {
    const r0 = rows[i] as ArrayLike<number>, r1 = rows[i + 1] as ArrayLike<number>;
    const w0 = w[i] as number, w1 = w[i + 1] as number;
    for (let d = start; d < end; d++) {
      out[d] = (out[d] as number) + w0 * (r0[d] as number) + w1 * (r1[d] as number);
    }
  }
  if (i < K) {
    const r0 = rows[i] as ArrayLike<number>;
    const w0 = w[i] as number;
    for (let d = start; d < end; d++) out[d] = (out[d] as number) + w0 * (r0[d] as number);
  }
}
