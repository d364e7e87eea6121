import { InvalidOptionError } from '@came-grad/optim-core';
import { createUniform, deriveSeed } from '../random/seed';

/** Result of {@link kMeans}. */
export interface KMeansResult {
  /** `k` centroids. */
  readonly centroids: Float64Array[];
  /** Cluster of each point. */
  readonly assignments: Int32Array;
  /** Sum of squared distances of the points to their centroids. */
  readonly inertia: number;
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return s;
}

/** Index of the nearest centroid (ties: lowest index). */
export function nearestCentroid(centroids: readonly Float64Array[], x: Float64Array): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  centroids.forEach((c, j) => {
    const d = squaredDistance(c, x);
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  });
  return best;
}

/**
 * Lloyd's k-means in float64 with k-means++ seeding, run `restarts` times (scikit-learn's
 * `n_init`: one k-means++ draw can end in a poor local optimum) keeping the lowest inertia. Draws
 * come from `seed`, so the same points and seed give the same clusters. A cluster that empties
 * keeps its previous centroid; with fewer distinct points than `k`, some centroids coincide.
 *
 * @throws InvalidOptionError when `k` or `restarts` is not a positive integer or there are no points
 */
export function kMeans(points: readonly Float64Array[], k: number, seed: number, restarts = 4, maxIterations = 50): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new InvalidOptionError('k', 'a positive integer', k);
  if (!Number.isInteger(restarts) || restarts < 1) throw new InvalidOptionError('restarts', 'a positive integer', restarts);
  if (points.length === 0) throw new InvalidOptionError('points', 'at least one point', 0);
  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(points, k, deriveSeed(seed, `kmeans/${r}`), maxIterations);
    if (best === undefined || run.inertia < best.inertia) best = run;
  }
  return best as KMeansResult;
}

function lloyd(points: readonly Float64Array[], k: number, seed: number, maxIterations: number): KMeansResult {
  const uniform = createUniform(seed);
  const first = points[Math.floor(uniform() * points.length)] as Float64Array;
  const centroids: Float64Array[] = [Float64Array.from(first)];
  const nearest = points.map((p) => squaredDistance(p, first));
  while (centroids.length < k) {
    const total = nearest.reduce((a, b) => a + b, 0);
    let pick = 0;
    if (total > 0) {
      let r = uniform() * total;
      while (pick < points.length - 1 && r >= (nearest[pick] as number)) r -= nearest[pick++] as number;
    } else {
      pick = Math.floor(uniform() * points.length);
    }
    const c = Float64Array.from(points[pick] as Float64Array);
    centroids.push(c);
    points.forEach((p, i) => {
      nearest[i] = Math.min(nearest[i] as number, squaredDistance(p, c));
    });
  }
  const assignments = new Int32Array(points.length).fill(-1);
  for (let iter = 0; iter < maxIterations; iter++) {
    let changed = false;
    points.forEach((p, i) => {
      const j = nearestCentroid(centroids, p);
      if (assignments[i] !== j) {
        assignments[i] = j;
        changed = true;
      }
    });
    if (!changed) break;
    const dim = first.length;
    const sums = centroids.map(() => new Float64Array(dim));
    const counts = new Int32Array(k);
    points.forEach((p, i) => {
      const j = assignments[i] as number;
      counts[j] = (counts[j] as number) + 1;
      const s = sums[j] as Float64Array;
      for (let d = 0; d < dim; d++) s[d] = (s[d] as number) + (p[d] as number);
    });
    for (let j = 0; j < k; j++) {
      const n = counts[j] as number;
      if (n === 0) continue;
      const s = sums[j] as Float64Array;
      centroids[j] = s.map((x) => x / n);
    }
  }
  const inertia = points.reduce((sum, p, i) => sum + squaredDistance(p, centroids[assignments[i] as number] as Float64Array), 0);
  return { centroids, assignments, inertia };
}
