import { InvalidOptionError, NonFiniteError, ShapeError } from '../errors';
import type { Gramian, GramianLike, Matrix } from '../types';

/** Relative symmetry tolerance of a user-supplied Gram matrix (came-grad.md §5.2). */
const SYMMETRY_TOL = 1e-12;

/**
 * Validates a user-supplied K×K Gram matrix (nested arrays, or a {@link Matrix}) and returns it as a
 * {@link Gramian}: K ≥ 1, square, finite, non-negative diagonal, and symmetric to 1e-12·max|M_ij|.
 * The result is symmetrised exactly ((M + Mᵀ)/2) so that the solvers see an exactly symmetric matrix.
 * An object that is already a Matrix is re-validated too: the brand is a compile-time promise only.
 */
export function toGramian(like: GramianLike | Matrix): Gramian {
  let K: number;
  let data: Float64Array;
  if (isMatrix(like)) {
    K = like.rows;
    if (like.cols !== K || like.data.length !== K * K) {
      throw new ShapeError('gram', 'a square K×K matrix', `${like.rows}×${like.cols} with ${like.data.length} entries`);
    }
    data = Float64Array.from(like.data);
  } else {
    if (!Array.isArray(like)) throw new ShapeError('gram', 'a K×K array of arrays', typeof like);
    K = like.length;
    data = new Float64Array(K * K);
    for (let i = 0; i < K; i++) {
      const row: unknown = like[i];
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
        throw new ShapeError(`gram[${i}]`, `an array of length ${K}`, typeof row);
      }
      const r = row as ArrayLike<number>;
      if (r.length !== K) throw new ShapeError(`gram[${i}]`, `length ${K} (the matrix must be square)`, `length ${r.length}`);
      for (let j = 0; j < K; j++) data[i * K + j] = r[j] as number;
    }
  }
  if (K === 0) throw new ShapeError('gram', 'a K×K matrix with K ≥ 1', '0×0');
  let maxAbs = 0;
  for (let t = 0; t < K * K; t++) {
    const v = data[t] as number;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new NonFiniteError('gram', t, v);
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  for (let i = 0; i < K; i++) {
    const d = data[i * K + i] as number;
    if (d < 0) throw new InvalidOptionError(`gram[${i}][${i}]`, 'a non-negative squared norm', d);
    for (let j = i + 1; j < K; j++) {
      const a = data[i * K + j] as number, b = data[j * K + i] as number;
      if (Math.abs(a - b) > SYMMETRY_TOL * maxAbs) {
        throw new InvalidOptionError(`gram[${i}][${j}]`, `equal to gram[${j}][${i}] = ${b} (symmetric to 1e-12 relative)`, a);
      }
      const s = 0.5 * a + 0.5 * b;
      data[i * K + j] = s;
      data[j * K + i] = s;
    }
  }
  return { rows: K, cols: K, data } as Gramian;
}

function isMatrix(value: unknown): value is Matrix {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && (value as Matrix).data instanceof Float64Array;
}
