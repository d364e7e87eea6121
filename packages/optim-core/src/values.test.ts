import { describe, expect, it } from 'vitest';
import { AGGREGATOR_IDS, createAggregator } from './aggregators/registry';

/**
 * The anchor table of mtl-methods.md §7: fixed J_base = [[−4, 1, 1], [6, 1, 1]] → the project's exact
 * d and w, next to torchjd's published 4-decimal values (tests/unit/aggregation/test_values.py).
 * Six-decimal values are checked to 1e-6, exact fractions to 1e-12; torchjd's to 1e-4.
 */
const JBASE = [[-4, 1, 1], [6, 1, 1]];

interface Row {
  readonly name: string;
  readonly id: string;
  readonly options: Record<string, unknown>;
  readonly d: readonly number[];
  readonly w: readonly number[];
  readonly tol: number;
  readonly torchjd?: readonly number[];
}

const NASH_SCALE = 10.228078;
const TABLE: readonly Row[] = [
  { name: 'Mean', id: 'linear', options: { reduction: 'mean' }, d: [1, 1, 1], w: [0.5, 0.5], tol: 0, torchjd: [1, 1, 1] },
  { name: 'Sum', id: 'linear', options: { reduction: 'sum' }, d: [2, 2, 2], w: [1, 1], tol: 0, torchjd: [2, 2, 2] },
  { name: 'Weighted ω = (1, 2)', id: 'linear', options: { weights: [1, 2] }, d: [8, 3, 3], w: [1, 2], tol: 0, torchjd: [8, 3, 3] },
  { name: 'MGDA', id: 'mgda', options: {}, d: [0, 1, 1], w: [0.6, 0.4], tol: 1e-14, torchjd: [0, 1, 1] },
  { name: 'MGDA, normalize l2', id: 'mgda', options: { normalize: 'l2' }, d: [0.015260, 0.198962, 0.198962], w: [0.117851, 0.081111], tol: 1e-6 },
  { name: 'PCGrad, sum', id: 'pcgrad', options: { reduction: 'sum' }, d: [100 / 171, 650 / 171, 650 / 171], w: [20 / 9, 30 / 19], tol: 1e-12, torchjd: [0.5848, 3.8012, 3.8012] },
  { name: 'PCGrad, mean', id: 'pcgrad', options: { reduction: 'mean' }, d: [0.292398, 1.900585, 1.900585], w: [1.111111, 0.789474], tol: 1e-6 },
  { name: 'IMTL-G', id: 'imtl-g', options: {}, d: [0.076697, 1, 1], w: [0.592330, 0.407670], tol: 1e-6, torchjd: [0.0767, 1, 1] },
  { name: 'CAGrad c = 0.5, rescale 0', id: 'cagrad', options: { c: 0.5, rescale: 0 }, d: [0.183503, 1.204124, 1.204124], w: [0.704124, 0.5], tol: 1e-6, torchjd: [0.1835, 1.2041, 1.2041] },
  { name: 'CAGrad c = 0.5, rescale 1 (default)', id: 'cagrad', options: {}, d: [0.146803, 0.963299, 0.963299], w: [0.563299, 0.4], tol: 1e-6 },
  { name: 'CAGrad c = 0.5, rescale 2', id: 'cagrad', options: { c: 0.5, rescale: 2 }, d: [0.122336, 0.802749, 0.802749], w: [0.469416, 0.333333], tol: 1e-6 },
  { name: 'UPGrad, exact', id: 'upgrad', options: {}, d: [50 / 171, 325 / 171, 325 / 171], w: [10 / 9, 15 / 19], tol: 1e-12 },
  { name: 'DualProj, exact', id: 'dualproj', options: {}, d: [5 / 9, 10 / 9, 10 / 9], w: [11 / 18, 1 / 2], tol: 1e-12 },
  { name: 'Aligned-MTL, min, pref mean', id: 'aligned-mtl', options: { scaleMode: 'min', pref: 'mean' }, d: [0.213279, 0.967333, 0.967333], w: [0.559072, 0.408261], tol: 1e-6, torchjd: [0.2133, 0.9673, 0.9673] },
  { name: 'Aligned-MTL, min, pref sum (default)', id: 'aligned-mtl', options: {}, d: [0.426557, 1.934666, 1.934666], w: [1.118144, 0.816522], tol: 1e-6 },
  { name: 'Nash-MTL, maxNorm 1', id: 'nash-mtl', options: { maxNorm: 1 }, d: [0.054153, 0.706069, 0.706069], w: [4.277650 / NASH_SCALE, 2.944081 / NASH_SCALE], tol: 1e-6, torchjd: [0.0542, 0.7061, 0.7061] },
  { name: 'UPGrad, regEps 1e-4 (torchjd default)', id: 'upgrad', options: { regEps: 1e-4 }, d: [0.2929, 1.9004, 1.9004], w: [1.1109, 0.7894], tol: 1e-4, torchjd: [0.2929, 1.9004, 1.9004] },
  { name: 'CAME-Grad ω = (1, 4), defaults (came-grad.md C1)', id: 'came-grad', options: { weights: [1, 4] }, d: [8.727334, 19.396391, 19.396391], w: [10.765101, 8.631290], tol: 1e-6 },
];

function maxAbsDiff(a: ArrayLike<number>, b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('J_base anchor values (mtl-methods.md §7)', () => {
  const present = TABLE.filter((r) => (AGGREGATOR_IDS as readonly string[]).includes(r.id));

  it('covers every registered Gram weighting', () => {
    for (const id of AGGREGATOR_IDS) {
      if (id === 'mmpareto') continue; // not in the §7 table (MMPareto is not in torchjd)
      expect(present.some((r) => r.id === id)).toBe(true);
    }
  });

  it.each(present.map((r) => [r.name, r]))('%s', (_name, row) => {
    const { direction, weights } = createAggregator(row.id as 'linear', row.options as never).aggregate(JBASE);
    expect(maxAbsDiff(direction, row.d)).toBeLessThanOrEqual(Math.max(row.tol, 1e-15));
    expect(maxAbsDiff(weights, row.w)).toBeLessThanOrEqual(Math.max(row.tol, 1e-15));
    if (row.torchjd !== undefined) expect(maxAbsDiff(direction, row.torchjd)).toBeLessThanOrEqual(1e-4);
  });
});
