import type { GradientRows, Gramian } from '../types';
import { checkRowShape, throwNonFinite } from './rows';
import { allTyped, kernelFor, WASM_MAX_K } from './wasm-kernel';
import type { KernelCache, TypedRow } from './wasm-kernel';

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
  return gramianWith(rows, undefined);
}

/** {@link gramian} with an optional per-owner kernel cache (used by aggregators). */
export function gramianWith(rows: GradientRows, cache: KernelCache | undefined): Gramian {
  const { K, D } = checkRowShape(rows);
  const out = new Float64Array(K * K);
  const kernel = K <= WASM_MAX_K && allTyped(rows) ? kernelFor(K * D, cache) : null;
  if (kernel !== null) {
    // WebAssembly SIMD route (wasm-kernel.ts): f64x2 dot products over cache-sized blocks (one sweep for
    // K ≤ 4, 2×2 tiles beyond).
    kernel.gram(rows as readonly TypedRow[], D, out);
  } else {
    for (let start = 0; start < D; start += BLOCK) {
      const end = Math.min(D, start + BLOCK);
      accumulateBlock(rows, K, start, end, out);
    }
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
  if (K % 4 === 0) {
    // 4×4 tiles: 8 loads feed 16 products (10 on the diagonal), twice the ratio of 2×2 tiles.
    for (let i = 0; i < K; i += 4) {
      diagonalQuad(rows, i, start, end, out, K);
      for (let j = i + 4; j < K; j += 4) quadTile(rows, i, j, start, end, out, K);
    }
    return;
  }
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

function diagonalQuad(rows: GradientRows, i: number, start: number, end: number, out: Float64Array, K: number): void {
  const a0 = rows[i] as ArrayLike<number>, a1 = rows[i + 1] as ArrayLike<number>;
  const a2 = rows[i + 2] as ArrayLike<number>, a3 = rows[i + 3] as ArrayLike<number>;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s11 = 0, s12 = 0, s13 = 0, s22 = 0, s23 = 0, s33 = 0;
  for (let d = start; d < end; d++) {
    const x0 = a0[d] as number, x1 = a1[d] as number, x2 = a2[d] as number, x3 = a3[d] as number;
    s00 += x0 * x0; s01 += x0 * x1; s02 += x0 * x2; s03 += x0 * x3;
    s11 += x1 * x1; s12 += x1 * x2; s13 += x1 * x3;
    s22 += x2 * x2; s23 += x2 * x3;
    s33 += x3 * x3;
  }
  const r0 = i * K + i, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K;
  out[r0] = (out[r0] as number) + s00;
  out[r0 + 1] = (out[r0 + 1] as number) + s01;
  out[r0 + 2] = (out[r0 + 2] as number) + s02;
  out[r0 + 3] = (out[r0 + 3] as number) + s03;
  out[r1 + 1] = (out[r1 + 1] as number) + s11;
  out[r1 + 2] = (out[r1 + 2] as number) + s12;
  out[r1 + 3] = (out[r1 + 3] as number) + s13;
  out[r2 + 2] = (out[r2 + 2] as number) + s22;
  out[r2 + 3] = (out[r2 + 3] as number) + s23;
  out[r3 + 3] = (out[r3 + 3] as number) + s33;
}

function quadTile(rows: GradientRows, i: number, j: number, start: number, end: number, out: Float64Array, K: number): void {
  const a0 = rows[i] as ArrayLike<number>, a1 = rows[i + 1] as ArrayLike<number>;
  const a2 = rows[i + 2] as ArrayLike<number>, a3 = rows[i + 3] as ArrayLike<number>;
  const b0 = rows[j] as ArrayLike<number>, b1 = rows[j + 1] as ArrayLike<number>;
  const b2 = rows[j + 2] as ArrayLike<number>, b3 = rows[j + 3] as ArrayLike<number>;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
  for (let d = start; d < end; d++) {
    const x0 = a0[d] as number, x1 = a1[d] as number, x2 = a2[d] as number, x3 = a3[d] as number;
    const y0 = b0[d] as number, y1 = b1[d] as number, y2 = b2[d] as number, y3 = b3[d] as number;
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
    s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
  }
  const r0 = i * K + j, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K;
  out[r0] = (out[r0] as number) + s00; out[r0 + 1] = (out[r0 + 1] as number) + s01;
  out[r0 + 2] = (out[r0 + 2] as number) + s02; out[r0 + 3] = (out[r0 + 3] as number) + s03;
  out[r1] = (out[r1] as number) + s10; out[r1 + 1] = (out[r1 + 1] as number) + s11;
  out[r1 + 2] = (out[r1 + 2] as number) + s12; out[r1 + 3] = (out[r1 + 3] as number) + s13;
  out[r2] = (out[r2] as number) + s20; out[r2 + 1] = (out[r2 + 1] as number) + s21;
  out[r2 + 2] = (out[r2 + 2] as number) + s22; out[r2 + 3] = (out[r2 + 3] as number) + s23;
  out[r3] = (out[r3] as number) + s30; out[r3 + 1] = (out[r3 + 1] as number) + s31;
  out[r3 + 2] = (out[r3 + 2] as number) + s32; out[r3 + 3] = (out[r3 + 3] as number) + s33;
}
