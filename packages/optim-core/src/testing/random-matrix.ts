/**
 * Seeded generators of test matrices (plain number[][] rows), independent of fast-check so that a
 * property failure reproduces from one 32-bit seed. Deterministic: no Math.random.
 */

/** A seeded uniform [0, 1) generator (mulberry32). */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded standard normal generator (Box–Muller on {@link seededUniform}). */
export function seededNormal(seed: number): () => number {
  const u = seededUniform(seed);
  return () => {
    const u1 = Math.max(u(), 1e-300);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u());
  };
}

/**
 * A K×D matrix of rank min(rank, K, D): G = U V with Gaussian U (K×r) and V (r×D), each row then
 * scaled by 10^u, u uniform in [−1, 1], so that row norms spread over two decades.
 */
export function randomJacobian(seed: number, K: number, D: number, rank = Math.min(K, D)): number[][] {
  const r = Math.max(0, Math.min(rank, K, D));
  const n = seededNormal(seed);
  const u = seededUniform(seed ^ 0x9e3779b9);
  const U = Array.from({ length: K }, () => Array.from({ length: r }, n));
  const V = Array.from({ length: r }, () => Array.from({ length: D }, n));
  return U.map((ui) => {
    const rowScale = 10 ** (2 * u() - 1);
    return Array.from({ length: D }, (_, d) => {
      let s = 0;
      for (let k = 0; k < r; k++) s += (ui[k] as number) * ((V[k] as number[])[d] as number);
      return rowScale * s;
    });
  });
}

/**
 * A strongly stationary K×D matrix (K ≥ 2): ∃ w > 0 with Σ w_i g_i = 0. The first K−1 rows are
 * random; the last is −Σ w_i g_i / w_{K−1} for random positive w.
 */
export function randomStronglyStationary(seed: number, K: number, D: number): number[][] {
  if (K < 2) throw new Error('randomStronglyStationary needs K ≥ 2');
  const G = randomJacobian(seed, K - 1, D);
  const u = seededUniform(seed ^ 0x85ebca6b);
  const w = Array.from({ length: K }, () => 0.2 + u());
  const last = Array.from({ length: D }, (_, d) => {
    let s = 0;
    for (let i = 0; i < K - 1; i++) s += (w[i] as number) * ((G[i] as number[])[d] as number);
    return -s / (w[K - 1] as number);
  });
  return [...G, last];
}

/**
 * A weakly but not strongly stationary matrix (K ≥ 3, D ≥ K): a strongly stationary block of K−1
 * rows plus one random row outside their span, so 0 ∈ conv{g_i} only with weight 0 on that row.
 */
export function randomWeaklyStationary(seed: number, K: number, D: number): number[][] {
  if (K < 3 || D < K) throw new Error('randomWeaklyStationary needs K ≥ 3 and D ≥ K');
  const block = randomStronglyStationary(seed, K - 1, D);
  const extra = randomJacobian(seed ^ 0xc2b2ae35, 1, D)[0] as number[];
  return [...block, extra];
}

/**
 * A non-stationary matrix (0 ∉ conv{g_i}): random rows plus a common offset v with
 * ⟨g_i, v⟩ > 0 for every i, so that v is a common descent direction.
 */
export function randomNonStationary(seed: number, K: number, D: number): number[][] {
  const G = randomJacobian(seed, K, D);
  const v = randomJacobian(seed ^ 0x27d4eb2f, 1, D)[0] as number[];
  const vv = v.reduce((s, x) => s + x * x, 0) || 1;
  return G.map((g) => {
    const gv = g.reduce((s, x, d) => s + x * (v[d] as number), 0);
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    // Shift along v until ⟨g, v⟩ ≥ ‖g‖‖v‖ (45° or less from v).
    const need = Math.max(0, norm * Math.sqrt(vv) - gv) / vv + 0.1;
    return g.map((x, d) => x + need * (v[d] as number));
  });
}

/** K copies of one random row. */
export function identicalRows(seed: number, K: number, D: number): number[][] {
  const g = randomJacobian(seed, 1, D)[0] as number[];
  return Array.from({ length: K }, () => [...g]);
}

/** Rows within a relative 1e-6 of one common direction (nearly parallel, not identical). */
export function nearlyParallelRows(seed: number, K: number, D: number): number[][] {
  const g = randomJacobian(seed, 1, D)[0] as number[];
  const noise = seededNormal(seed ^ 0x165667b1);
  return Array.from({ length: K }, (_, i) => g.map((x) => x * (1 + 0.5 * i) + 1e-6 * noise()));
}
