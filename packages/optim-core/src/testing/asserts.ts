import type { GradientRows, StepContext } from '../types';

/**
 * Shared property assertions (mtl-methods.md §6, after torchjd's `_asserts.py`). Each throws an
 * `Error` describing the violation, so they work under any test runner and inside fast-check
 * properties. They take anything with an `aggregate` method.
 */
export interface AggregatorUnderTest {
  aggregate(rows: GradientRows, ctx?: StepContext): { readonly direction: Float64Array; readonly weights: Float64Array };
}

/** Options shared by the assertions. */
export interface AssertOptions {
  /** Relative tolerance (meaning per assertion). */
  readonly tol?: number;
  /** Step context passed to `aggregate` (task weights ω). */
  readonly ctx?: StepContext;
}

/** Euclidean norm. */
export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s);
}

/** max_i ‖g_i‖. */
export function maxRowNorm(rows: readonly ArrayLike<number>[]): number {
  return rows.reduce((m, r) => Math.max(m, norm(r)), 0);
}

/** ‖x − y‖. */
export function distance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += ((x[i] as number) - (y[i] as number)) ** 2;
  return Math.sqrt(s);
}

/** Rows multiplied by s. */
export function scaleRows(rows: readonly ArrayLike<number>[], s: number): number[][] {
  return rows.map((r) => Array.from(r, (x) => x * s));
}

/** P1: direction has length D, weights length K, everything finite, no exception. */
export function assertFiniteStructure(agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[], opts: AssertOptions = {}): void {
  const K = rows.length;
  const D = (rows[0] as ArrayLike<number>).length;
  const { direction, weights } = agg.aggregate(rows, opts.ctx);
  if (direction.length !== D) throw new Error(`P1: direction should have length ${D}. Found ${direction.length}.`);
  if (weights.length !== K) throw new Error(`P1: weights should have length ${K}. Found ${weights.length}.`);
  direction.forEach((v, d) => { if (!Number.isFinite(v)) throw new Error(`P1: direction[${d}] should be finite. Found ${v}.`); });
  weights.forEach((v, i) => { if (!Number.isFinite(v)) throw new Error(`P1: weights[${i}] should be finite. Found ${v}.`); });
}

/**
 * P2: A(PG) = A(G) for the row permutation `perm` (rows[perm[k]] becomes row k); ω in the context is
 * permuted along. With `compareWeights`, also w(PG) = P w(G) (only where w is unique).
 */
export function assertPermutationEquivariant(
  agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[], perm: readonly number[],
  opts: AssertOptions & { compareWeights?: boolean } = {},
): void {
  const tol = opts.tol ?? 1e-9;
  const base = agg.aggregate(rows, opts.ctx);
  const permuted = perm.map((p) => rows[p] as ArrayLike<number>);
  const tw = opts.ctx?.taskWeights;
  const ctx = tw === undefined ? opts.ctx : { ...opts.ctx, taskWeights: perm.map((p) => tw[p] as number) };
  const out = agg.aggregate(permuted, ctx);
  const ref = Math.max(norm(base.direction), maxRowNorm(rows));
  const err = distance(out.direction, base.direction);
  if (err > tol * ref) throw new Error(`P2: ‖A(PG) − A(G)‖ = ${err} should be ≤ ${tol}·${ref} (perm ${perm.join(',')}).`);
  if (opts.compareWeights) {
    const scale = Math.max(1, norm(base.weights));
    perm.forEach((p, k) => {
      const diff = Math.abs((out.weights[k] as number) - (base.weights[p] as number));
      if (diff > tol * scale) throw new Error(`P2: w(PG)[${k}] should equal w(G)[${p}] = ${base.weights[p]}. Found ${out.weights[k]}.`);
    });
  }
}

/**
 * P3: ‖A(sG) − sA(G)‖ ≤ tol·|s|·max(‖A(G)‖, max_i‖g_i‖); for s = 0 the output must be exactly 0, and
 * for s ≠ 0 (with `compareWeights`) w(sG) = w(G) to the same relative tolerance.
 */
export function assertScaleEquivariant(
  agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[], s: number,
  opts: AssertOptions & { compareWeights?: boolean } = {},
): void {
  const tol = opts.tol ?? 1e-10;
  const base = agg.aggregate(rows, opts.ctx);
  const out = agg.aggregate(scaleRows(rows, s), opts.ctx);
  if (s === 0) {
    out.direction.forEach((v, d) => { if (v !== 0) throw new Error(`P3: A(0·G)[${d}] should be exactly 0. Found ${v}.`); });
    return;
  }
  const expected = Array.from(base.direction, (v) => v * s);
  const err = distance(out.direction, expected);
  const bound = tol * Math.abs(s) * Math.max(norm(base.direction), maxRowNorm(rows));
  if (err > bound) throw new Error(`P3: ‖A(sG) − sA(G)‖ = ${err} should be ≤ ${bound} (s = ${s}).`);
  if (opts.compareWeights) {
    const wErr = distance(out.weights, base.weights);
    const wBound = tol * Math.max(1, norm(base.weights));
    if (wErr > wBound) throw new Error(`P3: ‖w(sG) − w(G)‖ = ${wErr} should be ≤ ${wBound} (s = ${s}).`);
  }
}

/** came-grad.md §6: for s = 2^k the weights must be bitwise identical. */
export function assertWeightsBitwiseInvariant(
  agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[], s: number, opts: AssertOptions = {},
): void {
  const a = agg.aggregate(rows, opts.ctx).weights;
  const b = agg.aggregate(scaleRows(rows, s), opts.ctx).weights;
  a.forEach((v, i) => {
    if (!Object.is(v, b[i])) throw new Error(`scale 2^k: w(sG)[${i}] should be bitwise ${v}. Found ${b[i]} (s = ${s}).`);
  });
}

/**
 * P4: min_i ⟨g_i, A(G)⟩ ≥ −tol·max(‖A(G)‖, 1e-6·max_i‖g_i‖)·max_i‖g_i‖ (default tol 1e-9). The floor
 * keeps an output that is zero up to rounding (stationary inputs) from failing on 1e-16 noise.
 */
export function assertNonConflicting(agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[], opts: AssertOptions = {}): void {
  const tol = opts.tol ?? 1e-9;
  const { direction } = agg.aggregate(rows, opts.ctx);
  const gMax = maxRowNorm(rows);
  const bound = -tol * Math.max(norm(direction), 1e-6 * gMax) * gMax;
  rows.forEach((g, i) => {
    let inner = 0;
    for (let d = 0; d < g.length; d++) inner += (g[d] as number) * (direction[d] as number);
    if (inner < bound) throw new Error(`P4: ⟨g_${i}, A(G)⟩ = ${inner} should be ≥ ${bound}.`);
  });
}

/**
 * P5 (torchjd): A(diag(a·c1 + b·c2)G) = a·A(diag(c1)G) + b·A(diag(c2)G) for c1, c2, a, b ≥ 0, to
 * tol·max(norms involved).
 */
export function assertLinearUnderScaling(
  agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[],
  c1: readonly number[], c2: readonly number[], a: number, b: number, opts: AssertOptions = {},
): void {
  const tol = opts.tol ?? 1e-9;
  const scaled = (c: readonly number[]) => rows.map((r, i) => Array.from(r, (x) => x * (c[i] as number)));
  const mixed = c1.map((x, i) => a * x + b * (c2[i] as number));
  const lhs = agg.aggregate(scaled(mixed), opts.ctx).direction;
  const d1 = agg.aggregate(scaled(c1), opts.ctx).direction;
  const d2 = agg.aggregate(scaled(c2), opts.ctx).direction;
  const rhs = Array.from(d1, (v, d) => a * v + b * (d2[d] as number));
  const ref = Math.max(norm(lhs), a * norm(d1) + b * norm(d2), maxRowNorm(scaled(mixed)), Number.MIN_VALUE);
  const err = distance(lhs, rhs);
  if (err > tol * ref) throw new Error(`P5: linearity under scaling violated by ${err} (> ${tol}·${ref}).`);
}

/**
 * P6: for rows that are NOT strongly stationary, A(G) ≠ 0, i.e. ‖A(G)‖ > tol·max_i‖g_i‖
 * (default tol 1e-12). The caller guarantees the precondition (use the non-stationary families).
 */
export function assertNonZeroWhenNotStationary(agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[], opts: AssertOptions = {}): void {
  const tol = opts.tol ?? 1e-12;
  const n = norm(agg.aggregate(rows, opts.ctx).direction);
  const ref = maxRowNorm(rows);
  if (!(n > tol * ref)) throw new Error(`P6: ‖A(G)‖ = ${n} should be > ${tol}·${ref} for a non-stationary G.`);
}

/** P8: the same input gives bitwise-identical output, and the input rows are not modified. */
export function assertDeterministicAndPure(agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[], opts: AssertOptions = {}): void {
  const before = rows.map((r) => Array.from(r));
  const a = agg.aggregate(rows, opts.ctx);
  const b = agg.aggregate(rows, opts.ctx);
  a.direction.forEach((v, d) => { if (!Object.is(v, b.direction[d])) throw new Error(`P8: direction[${d}] differs between two identical calls.`); });
  a.weights.forEach((v, i) => { if (!Object.is(v, b.weights[i])) throw new Error(`P8: weights[${i}] differs between two identical calls.`); });
  rows.forEach((r, i) => {
    for (let d = 0; d < r.length; d++) {
      if (!Object.is(r[d], (before[i] as number[])[d])) throw new Error(`P8: rows[${i}][${d}] was modified.`);
    }
  });
}
