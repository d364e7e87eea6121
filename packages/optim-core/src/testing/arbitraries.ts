import fc from 'fast-check';
import {
  identicalRows,
  nearlyParallelRows,
  randomJacobian,
  randomNonStationary,
  randomStronglyStationary,
  randomWeaklyStationary,
} from './random-matrix';

/** K values of the shared input families (mtl-methods.md §6). */
export const FAMILY_KS = Object.freeze([1, 2, 3, 5, 8]);
/** D values of the shared input families. */
export const FAMILY_DS = Object.freeze([1, 3, 10, 1000]);
/** Gradient scales of the shared families: torchjd's plus the project's 1e-8 and 1e6. */
export const SCALES = Object.freeze([0, 1e-10, 1e-8, 1e3, 1e5, 1e6, 1e10, 1e15]);
/** The scale-equivariance protocol of came-grad.md §6. */
export const EQUIVARIANCE_SCALES = Object.freeze([1e-8, 1e-6, 1e-3, 1, 1e3, 1e6, -1, -1e3]);
/** Powers of two for the bitwise weight test of came-grad.md §6. */
export const POWER_OF_TWO_SCALES = Object.freeze([2 ** -30, 2 ** -7, 2 ** 5, 2 ** 20]);

/** A fixed-size or ranged dimension for the arbitraries. */
export type Dim = number | readonly [min: number, max: number];

function dim(d: Dim): fc.Arbitrary<number> {
  return typeof d === 'number' ? fc.constant(d) : fc.integer({ min: d[0], max: d[1] });
}

/** Options of {@link arbJacobian}. */
export interface ArbJacobianOptions {
  /** Number of rows K (default 1–8). */
  readonly K?: Dim;
  /** Row length D (default one of 1, 3, 10, 1000 … capped to 1000). */
  readonly n?: Dim;
  /** Rank r ≤ min(K, D) (default full). */
  readonly rank?: number;
}

/**
 * Random K×n gradient rows of a given rank (torchjd's `_matrix_samplers` analogue). Entries come from
 * a seeded Gaussian factorisation, so a counterexample is reproduced by its seed.
 */
export function arbJacobian(options: ArbJacobianOptions = {}): fc.Arbitrary<number[][]> {
  const K = dim(options.K ?? [1, 8]);
  const n = options.n === undefined ? fc.constantFrom(...FAMILY_DS) : dim(options.n);
  return fc.tuple(K, n, fc.integer({ min: 0, max: 0x7fffffff })).map(([k, d, seed]) =>
    randomJacobian(seed, k, d, options.rank === undefined ? Math.min(k, d) : Math.min(options.rank, k, d)));
}

/** Strongly stationary rows (∃ w > 0, Σ w_i g_i = 0); K ≥ 2. */
export function arbStronglyStationary(options: { K?: Dim; n?: Dim } = {}): fc.Arbitrary<number[][]> {
  return fc.tuple(dim(options.K ?? [2, 8]), dim(options.n ?? [1, 12]), fc.integer({ min: 0, max: 0x7fffffff }))
    .map(([k, d, seed]) => randomStronglyStationary(seed, Math.max(2, k), d));
}

/** Weakly but not strongly stationary rows (K ≥ 3, D ≥ K). */
export function arbWeaklyStationary(options: { K?: Dim } = {}): fc.Arbitrary<number[][]> {
  return fc.tuple(dim(options.K ?? [3, 8]), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 0x7fffffff }))
    .map(([k, extra, seed]) => randomWeaklyStationary(seed, Math.max(3, k), Math.max(3, k) + extra));
}

/** Rows with a common descent direction (0 ∉ conv{g_i}): not stationary in any sense. */
export function arbNonStationary(options: { K?: Dim; n?: Dim } = {}): fc.Arbitrary<number[][]> {
  return fc.tuple(dim(options.K ?? [1, 8]), dim(options.n ?? [1, 12]), fc.integer({ min: 0, max: 0x7fffffff }))
    .map(([k, d, seed]) => randomNonStationary(seed, k, d));
}

/**
 * The special families of mtl-methods.md §6: the zero matrix, one zero row, identical rows and
 * nearly parallel rows, each tagged with its name.
 */
export function arbSpecialJacobian(options: { K?: Dim; n?: Dim } = {}): fc.Arbitrary<{ family: string; rows: number[][] }> {
  return fc.tuple(
    fc.constantFrom('zero', 'one-zero-row', 'identical', 'nearly-parallel'),
    dim(options.K ?? [1, 8]),
    dim(options.n ?? [1, 12]),
    fc.integer({ min: 0, max: 0x7fffffff }),
  ).map(([family, k, d, seed]) => {
    let rows: number[][];
    if (family === 'zero') rows = Array.from({ length: k }, () => new Array<number>(d).fill(0));
    else if (family === 'one-zero-row') {
      rows = randomJacobian(seed, k, d);
      rows[seed % k] = new Array<number>(d).fill(0);
    } else if (family === 'identical') rows = identicalRows(seed, k, d);
    else rows = nearlyParallelRows(seed, k, d);
    return { family, rows };
  });
}

/** One of {@link SCALES} or its negative. */
export function arbScale(): fc.Arbitrary<number> {
  return fc.tuple(fc.constantFrom(...SCALES), fc.boolean()).map(([s, neg]) => (neg ? -s : s));
}

/** Non-negative task weights of length K, some possibly 0. */
export function arbTaskWeights(K: number): fc.Arbitrary<number[]> {
  return fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 10, noNaN: true })), { minLength: K, maxLength: K });
}

/** A random permutation of 0…K−1. */
export function arbPermutation(K: number): fc.Arbitrary<number[]> {
  return fc.shuffledSubarray(Array.from({ length: K }, (_, i) => i), { minLength: K, maxLength: K });
}
