import type { GradientRows, Gramian } from '../types';
import { checkRowShape, throwNonFinite } from './rows';

/**
 * Elements per cache block. K rows × 1024 float32 = 4 KiB per row, so even K = 8 keeps every
 * row's block in L1/L2 while all K(K+1)/2 dot products of the block are formed: each row is
 * read from memory once instead of K/2 times.
 */
const BLOCK = 1024;

/**
 * Gram matrix M = G Gᵀ of K gradient rows (number[] | Float32Array | Float64Array, equal length D),
 * accumulated in float64. Float32 products are exact in float64, so the only rounding is in the
 * sums, which are blocked (one partial sum per block), which also keeps the error near
 * √(D/BLOCK)·ε instead of D·ε.
 *
 * Validates the shape (K ≥ 1, D ≥ 1, equal lengths; `ShapeError` naming the row) and finiteness
 * (`NonFiniteError` naming the row and entry, or the row whose squared norm overflows). The check
 * costs nothing extra: a non-finite entry makes its diagonal entry non-finite.
 */
export function gramian(rows: GradientRows): Gramian {
  const { K, D } = checkRowShape(rows);
  const out = new Float64Array(K * K);
  for (let start = 0; start < D; start += BLOCK) {
    const end = Math.min(D, start + BLOCK);
    accumulateBlock(rows, K, start, end, out);
  }
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < i; j++) out[i * K + j] = out[j * K + i] as number;
  }
  for (let t = 0; t < out.length; t++) {
    if (!Number.isFinite(out[t])) {
      const diag = new Float64Array(K);
      for (let i = 0; i < K; i++) diag[i] = out[i * K + i] as number;
      throwNonFinite(rows, diag);
    }
  }
  return { rows: K, cols: K, data: out } as Gramian;
}

/** Adds the block [start, end) of every upper-triangle dot product into `out` (row-major K×K). */
function accumulateBlock(rows: GradientRows, K: number, start: number, end: number, out: Float64Array): void {
  // Rows are taken two at a time: a 2×2 tile loads 4 values per step and feeds 4 products,
  // where a plain pairwise dot loads 2 values per product.
  for (let i = 0; i < K; i += 2) {
    const a0 = rows[i] as ArrayLike<number>;
    if (i + 1 < K) {
      const a1 = rows[i + 1] as ArrayLike<number>;
      diagonalPair(a0, a1, start, end, out, i, K);
      for (let j = i + 2; j < K; j += 2) {
        const b0 = rows[j] as ArrayLike<number>;
        if (j + 1 < K) tile(a0, a1, b0, rows[j + 1] as ArrayLike<number>, start, end, out, i, j, K);
        else pairWithOne(a0, a1, b0, start, end, out, i, j, K);
      }
    } else {
      diagonalOne(a0, start, end, out, i, K);
    }
  }
}

function tile(
  a0: ArrayLike<number>, a1: ArrayLike<number>, b0: ArrayLike<number>, b1: ArrayLike<number>,
  start: number, end: number, out: Float64Array, i: number, j: number, K: number,
): void {
  let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
  for (let d = start; d < end; d++) {
    const x0 = a0[d] as number, x1 = a1[d] as number, y0 = b0[d] as number, y1 = b1[d] as number;
    s00 += x0 * y0;
    s01 += x0 * y1;
    s10 += x1 * y0;
    s11 += x1 * y1;
  }
  out[i * K + j] = (out[i * K + j] as number) + s00;
  out[i * K + j + 1] = (out[i * K + j + 1] as number) + s01;
  out[(i + 1) * K + j] = (out[(i + 1) * K + j] as number) + s10;
  out[(i + 1) * K + j + 1] = (out[(i + 1) * K + j + 1] as number) + s11;
}

function diagonalPair(
  a0: ArrayLike<number>, a1: ArrayLike<number>, start: number, end: number, out: Float64Array, i: number, K: number,
): void {
  let s00 = 0, s01 = 0, s11 = 0;
  for (let d = start; d < end; d++) {
    const x0 = a0[d] as number, x1 = a1[d] as number;
    s00 += x0 * x0;
    s01 += x0 * x1;
    s11 += x1 * x1;
  }
  out[i * K + i] = (out[i * K + i] as number) + s00;
  out[i * K + i + 1] = (out[i * K + i + 1] as number) + s01;
  out[(i + 1) * K + i + 1] = (out[(i + 1) * K + i + 1] as number) + s11;
}

function pairWithOne(
  a0: ArrayLike<number>, a1: ArrayLike<number>, b: ArrayLike<number>,
  start: number, end: number, out: Float64Array, i: number, j: number, K: number,
): void {
  let s0 = 0, s1 = 0;
  for (let d = start; d < end; d++) {
    const y = b[d] as number;
    s0 += (a0[d] as number) * y;
    s1 += (a1[d] as number) * y;
  }
  out[i * K + j] = (out[i * K + j] as number) + s0;
  out[(i + 1) * K + j] = (out[(i + 1) * K + j] as number) + s1;
}

function diagonalOne(a: ArrayLike<number>, start: number, end: number, out: Float64Array, i: number, K: number): void {
  // Two accumulators break the add-latency chain of a single running sum.
  let s0 = 0, s1 = 0;
  let d = start;
  for (; d + 1 < end; d += 2) {
    const x0 = a[d] as number, x1 = a[d + 1] as number;
    s0 += x0 * x0;
    s1 += x1 * x1;
  }
  if (d < end) {
    const x = a[d] as number;
    s0 += x * x;
  }
  out[i * K + i] = (out[i * K + i] as number) + (s0 + s1);
}
