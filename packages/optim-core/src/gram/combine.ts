import { NonFiniteError, ShapeError } from '../errors';
import type { GradientRows } from '../types';
import { checkRowShape, findNonFinite } from './rows';
import { allTyped, kernelFor, WASM_MAX_K } from './wasm-kernel';
import type { KernelCache, TypedRow } from './wasm-kernel';

/** Elements per cache block: the output block (8 KiB of float64) stays in L1 across all K rows. */
const BLOCK = 1024;

/**
 * The combination Σ_i w_i·rows[i] as a Float64Array(D), accumulated in float64 in task order,
 * ((w₀g₀ + w₁g₁) + w₂g₂) + … (deterministic: the same rows and weights give bitwise-identical output,
 * on the scalar and the WebAssembly route alike).
 *
 * Throws `ShapeError` for ragged rows or a weight vector of the wrong length, and
 * `NonFiniteError` for a non-finite weight or a non-finite entry in a row. Rows are scanned for
 * finiteness only when the output is non-finite, which is probed in the same pass (K ≤ 4) or block by
 * block while the block is in cache.
 *
 * `out` (optional, length D) receives the result instead of a new array. Where fresh memory is
 * expensive (first-touch page faults cost more than the arithmetic in some VMs), a training loop can
 * reuse one buffer across steps. It is fully overwritten; it must not alias a row.
 */
export function combine(rows: GradientRows, weights: ArrayLike<number>, out?: Float64Array): Float64Array {
  return combineWith(rows, weights, out, undefined);
}

/**
 * {@link combine} with an optional per-owner kernel cache (used by aggregators): typed-array rows then
 * go through the WebAssembly SIMD kernel from 64K entries (K·D), a one-off call from 16M.
 */
export function combineWith(
  rows: GradientRows, weights: ArrayLike<number>, out: Float64Array | undefined, cache: KernelCache | undefined,
): Float64Array {
  const { K, D } = checkRowShape(rows);
  if (weights.length !== K) throw new ShapeError('weights', `length ${K} (one per row)`, `length ${weights.length}`);
  for (let i = 0; i < K; i++) {
    if (!Number.isFinite(weights[i])) throw new NonFiniteError('weights', i, weights[i]);
  }
  if (out !== undefined && out.length !== D) throw new ShapeError('out', `a Float64Array of length ${D}`, `length ${out.length}`);
  const dst = out ?? new Float64Array(D);
  const kernel = K <= WASM_MAX_K && allTyped(rows) ? kernelFor(K * D, cache) : null;
  if (kernel !== null) {
    // WebAssembly SIMD route (wasm-kernel.ts): per block, the rows are copied in, combined on f64x2 lanes
    // and the result block copied out, so the rows and the output each cross the memory bus once.
    const bad = kernel.combine(rows as readonly TypedRow[], weights, D, dst);
    if (bad >= 0) throwNonFiniteCombination(rows, dst, bad, D);
    return dst;
  }
  if (K <= 4) {
    // One pass over D: compute, store and probe in the same loop (measured about 2× faster than a
    // blocked pass plus a separate probe for K = 2).
    if (singlePass(rows, weights, K, D, dst) !== 0) throwNonFiniteCombination(rows, dst, 0, D);
    return dst;
  }
  for (let start = 0; start < D; start += BLOCK) {
    const end = Math.min(D, start + BLOCK);
    combineBlock(rows, weights, K, start, end, dst);
    let probe = 0;
    for (let d = start; d < end; d++) probe += (dst[d] as number) * 0;
    if (probe !== 0) throwNonFiniteCombination(rows, dst, start, end);
  }
  return dst;
}

/**
 * out = Σ w_i·rows[i] for K ≤ 4 in one pass; returns Σ out[d]·0, which is NaN exactly when some
 * output entry is non-finite (x·0 is NaN for x = ±∞ or NaN).
 */
function singlePass(rows: GradientRows, w: ArrayLike<number>, K: number, D: number, out: Float64Array): number {
  const r0 = rows[0] as ArrayLike<number>, w0 = w[0] as number;
  let probe = 0;
  if (K === 1) {
    for (let d = 0; d < D; d++) {
      const v = w0 * (r0[d] as number);
      out[d] = v;
      probe += v * 0;
    }
  } else if (K === 2) {
    const r1 = rows[1] as ArrayLike<number>, w1 = w[1] as number;
    for (let d = 0; d < D; d++) {
      const v = w0 * (r0[d] as number) + w1 * (r1[d] as number);
      out[d] = v;
      probe += v * 0;
    }
  } else if (K === 3) {
    const r1 = rows[1] as ArrayLike<number>, r2 = rows[2] as ArrayLike<number>;
    const w1 = w[1] as number, w2 = w[2] as number;
    for (let d = 0; d < D; d++) {
      const v = w0 * (r0[d] as number) + w1 * (r1[d] as number) + w2 * (r2[d] as number);
      out[d] = v;
      probe += v * 0;
    }
  } else {
    const r1 = rows[1] as ArrayLike<number>, r2 = rows[2] as ArrayLike<number>, r3 = rows[3] as ArrayLike<number>;
    const w1 = w[1] as number, w2 = w[2] as number, w3 = w[3] as number;
    for (let d = 0; d < D; d++) {
      const v = w0 * (r0[d] as number) + w1 * (r1[d] as number) + w2 * (r2[d] as number) + w3 * (r3[d] as number);
      out[d] = v;
      probe += v * 0;
    }
  }
  return probe;
}

function throwNonFiniteCombination(rows: GradientRows, dst: Float64Array, start: number, end: number): never {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as ArrayLike<number>;
    const at = findNonFinite(row);
    if (at >= 0) throw new NonFiniteError(`rows[${i}]`, at, Number(row[at]));
  }
  let d = start;
  while (d < end && Number.isFinite(dst[d])) d++;
  throw new NonFiniteError('combination (overflow)', d, dst[d]);
}

function combineBlock(
  rows: GradientRows, w: ArrayLike<number>, K: number, start: number, end: number, out: Float64Array,
): void {
  // The first pass writes up to four rows (the output may hold stale values).
  const r = (k: number) => rows[k] as ArrayLike<number>;
  const first = Math.min(K, 4);
  const r0 = r(0), w0 = w[0] as number;
  if (first === 1) {
    for (let d = start; d < end; d++) out[d] = w0 * (r0[d] as number);
  } else if (first === 2) {
    const r1 = r(1), w1 = w[1] as number;
    for (let d = start; d < end; d++) out[d] = w0 * (r0[d] as number) + w1 * (r1[d] as number);
  } else if (first === 3) {
    const r1 = r(1), r2 = r(2), w1 = w[1] as number, w2 = w[2] as number;
    for (let d = start; d < end; d++) out[d] = w0 * (r0[d] as number) + w1 * (r1[d] as number) + w2 * (r2[d] as number);
  } else {
    const r1 = r(1), r2 = r(2), r3 = r(3), w1 = w[1] as number, w2 = w[2] as number, w3 = w[3] as number;
    for (let d = start; d < end; d++) {
      out[d] = w0 * (r0[d] as number) + w1 * (r1[d] as number) + w2 * (r2[d] as number) + w3 * (r3[d] as number);
    }
  }
  // Later passes add two rows at a time, keeping the task-order association of the first pass
  // (((out + v₀a₀) + v₁a₁), not out + (v₀a₀ + v₁a₁)), so the WebAssembly route matches bit for bit.
  let i = first;
  for (; i + 1 < K; i += 2) {
    const a0 = r(i), a1 = r(i + 1), v0 = w[i] as number, v1 = w[i + 1] as number;
    for (let d = start; d < end; d++) out[d] = (out[d] as number) + v0 * (a0[d] as number) + v1 * (a1[d] as number);
  }
  if (i < K) {
    const a0 = r(i), v0 = w[i] as number;
    for (let d = start; d < end; d++) out[d] = (out[d] as number) + v0 * (a0[d] as number);
  }
}
