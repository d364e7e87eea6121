/** Two-sided 95% Student-t quantiles t_{0.975, df} for df = 1..30. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08,
  2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t_{0.975, df}; past the table, the usual coarse values (2.000 to df 60, 1.980 to 120, then 1.960). */
export function tQuantile975(df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new Error(`\`df\` should be an integer ≥ 1. Found ${df}`);
  return T975[df - 1] ?? (df <= 60 ? 2.0 : df <= 120 ? 1.98 : 1.96);
}

/** Mean and the half-width of its 95% confidence interval across seeds (`null` when n = 1). */
export interface MeanCi {
  readonly n: number;
  readonly mean: number;
  /** t_{0.975, n−1} · s / √n; `null` for a single seed, where no interval exists. */
  readonly halfWidth: number | null;
}

export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) throw new Error('`values` should hold at least one number. Found none');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, halfWidth: null };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, halfWidth: (tQuantile975(n - 1) * Math.sqrt(variance)) / Math.sqrt(n) };
}

/** mulberry32: a small, fast, seeded PRNG; the bootstrap must give the same interval on every machine. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linear-interpolated quantile of sorted values (the "type 7" definition of R and NumPy). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('`sorted` should not be empty');
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (position - lo);
}

/** A paired-bootstrap result for a difference of a corpus-level metric. */
export interface PairedBootstrap {
  /** The difference on the actual test set. */
  readonly delta: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Share of resamples with a difference ≤ 0 (a one-sided bootstrap p-value for "B beats A"). */
  readonly shareNotPositive: number;
  readonly resamples: number;
  readonly seed: number;
}

/**
 * Paired bootstrap over test studies. `metric(indices)` returns the difference (B − A) of a
 * corpus metric over the studies at `indices` (with repeats), computed for both systems on the
 * same resample; that pairing is what makes the interval about the difference, not about each
 * system. Indices are drawn with the seeded {@link createRng}.
 */
export function pairedBootstrap(n: number, metric: (indices: readonly number[]) => number, options: { resamples: number; seed: number }): PairedBootstrap {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`\`n\` (test studies) should be an integer ≥ 1. Found ${n}`);
  const identity = Array.from({ length: n }, (_, i) => i);
  const delta = metric(identity);
  const rng = createRng(options.seed);
  const deltas: number[] = [];
  const indices = new Array<number>(n);
  for (let b = 0; b < options.resamples; b++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(rng() * n);
    deltas.push(metric(indices));
  }
  deltas.sort((x, y) => x - y);
  return {
    delta,
    ciLow: quantileSorted(deltas, 0.025),
    ciHigh: quantileSorted(deltas, 0.975),
    shareNotPositive: deltas.filter((d) => d <= 0).length / deltas.length,
    resamples: options.resamples,
    seed: options.seed,
  };
}
