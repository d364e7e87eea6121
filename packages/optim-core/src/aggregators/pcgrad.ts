import { InvalidOptionError, ShapeError } from '../errors';
import { normalizeGramian } from '../gram/normalize';
import { createSeededRng, deriveSeed } from '../scalarizers/seeded-rng';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkEnum, checkNumber, checkOptionKeys } from './options';

/**
 * The order in which PCGrad projects each p_i: `identity` (j ascending), `reverse`, an explicit
 * list of K permutations (order[i] is the sequence for task i; i itself is skipped), or
 * `{random: seed}` (fresh orders every step, drawn from `seed` and `ctx.step`).
 */
export type PCGradOrder = 'identity' | 'reverse' | readonly (readonly number[])[] | { readonly random: number };

/** Options of PCGrad (mtl-methods.md §3.2). */
export interface PCGradOptions {
  /** Default `identity`. */
  readonly order?: PCGradOrder;
  /** `sum` (default: the paper, LibMTL, torchjd, nash-mtl) or `mean` (Cranial-XIX/CAGrad's baseline). */
  readonly reduction?: 'sum' | 'mean';
}

/** Info of a PCGrad step. */
export interface PCGradInfo {
  /** The orders actually used, orders[i] for task i (echoes the random draw). */
  readonly orders: readonly (readonly number[])[];
  /** Number of projections performed (conflicts met) over all i. */
  readonly projections: number;
}

/** Defaults of {@link createPCGrad}. */
export const PCGRAD_DEFAULTS = Object.freeze({ order: 'identity' as const, reduction: 'sum' as const });

/**
 * PCGrad, gradient surgery (Yu et al., NeurIPS 2020, Algorithm 1), deterministic and in K-space:
 * p_i starts at e_i; for j in order[i] (j ≠ i, g_j ≠ 0), if ⟨p_i, g_j⟩ = (M c)_j < 0 the original
 * g_j is projected out, c_j −= (Mc)_j / M_jj. Then w = Σ_i c⁽ⁱ⁾ (or the mean).
 * Deviations from the original code: self-projection is skipped (as torchjd), zero g_j are skipped,
 * and there is no `+1e-8` in the denominator (LibMTL's gives a 0.44 relative error at scale 1e-8).
 * Random orders depend on (seed, ctx.step) only, so a step is reproducible and the map stays pure.
 */
export function createPCGrad(options: PCGradOptions = {}): Weighting<PCGradInfo> {
  checkOptionKeys('pcgrad', options, ['order', 'reduction']);
  const reduction = checkEnum('pcgrad.reduction', options.reduction ?? PCGRAD_DEFAULTS.reduction, ['sum', 'mean'] as const);
  const order = checkOrder(options.order ?? PCGRAD_DEFAULTS.order);
  return defineWeighting<PCGradInfo>({
    id: 'pcgrad',
    options: { order: typeof order === 'string' ? order : structuredClone(order), reduction },
    taskWeights: undefined,
    weigh: (gram, ctx) => {
      const K = gram.rows;
      const orders = resolveOrders(order, K, ctx?.step ?? 0);
      // Ratios (Mc)_j / M_jj are scale-free; M̃ makes 2^k-scaled inputs bitwise identical.
      const M = normalizeGramian(gram).gram.data;
      const w = new Float64Array(K);
      const c = new Float64Array(K);
      let projections = 0;
      for (let i = 0; i < K; i++) {
        c.fill(0);
        c[i] = 1;
        for (const j of orders[i]!) {
          const mjj = M[j * (K + 1)]!;
          if (j === i || mjj === 0) continue;
          let inner = 0;
          for (let k = 0; k < K; k++) inner += M[j * K + k]! * c[k]!;
          if (inner < 0) {
            c[j] = c[j]! - inner / mjj;
            projections += 1;
          }
        }
        for (let k = 0; k < K; k++) w[k] = w[k]! + c[k]!;
      }
      if (reduction === 'mean') for (let k = 0; k < K; k++) w[k] = w[k]! / K;
      return { weights: w, info: { orders, projections } };
    },
  });
}

function checkOrder(order: unknown): PCGradOrder {
  if (order === 'identity' || order === 'reverse') return order;
  if (Array.isArray(order)) {
    const K = order.length;
    if (K === 0) throw new InvalidOptionError('pcgrad.order', 'a non-empty list of K permutations of 0…K−1', order);
    order.forEach((row: unknown, i) => {
      const ok = Array.isArray(row) && row.length === K && [...row].sort((a, b) => a - b).every((v, k) => v === k);
      if (!ok) throw new InvalidOptionError(`pcgrad.order[${i}]`, `a permutation of 0…${K - 1}`, row);
    });
    return order.map((row: number[]) => [...row]);
  }
  if (typeof order === 'object' && order !== null && 'random' in order && Object.keys(order).length === 1) {
    const seed = checkNumber('pcgrad.order.random', (order as { random: unknown }).random);
    return { random: seed };
  }
  throw new InvalidOptionError('pcgrad.order', "'identity', 'reverse', a list of K permutations, or {random: seed}", order);
}

function resolveOrders(order: PCGradOrder, K: number, step: number): number[][] {
  if (order === 'identity' || order === 'reverse') {
    const base = Array.from({ length: K }, (_, j) => (order === 'identity' ? j : K - 1 - j));
    return Array.from({ length: K }, () => [...base]);
  }
  if ('random' in order) {
    const rng = createSeededRng(deriveSeed(order.random, step));
    return Array.from({ length: K }, () => rng.permutation(K));
  }
  if (order.length !== K) throw new ShapeError('pcgrad.order', `K = ${K} permutations (one per task of this Gram matrix)`, `${order.length}`);
  return order.map((row) => [...row]);
}
