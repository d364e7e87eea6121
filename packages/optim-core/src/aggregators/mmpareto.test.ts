import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian, arbSpecialJacobian } from '../testing/arbitraries';
import { assertFiniteStructure, norm } from '../testing/asserts';
import { gramianWeighted } from './aggregator';
import { assertProjectionProperties, expectFloat32AgreesWithFloat64 } from './gramian-properties.fixture';
import { createMMPareto, MMPARETO_DEFAULTS } from './mmpareto';

const J_BASE = [[-4, 1, 1], [6, 1, 1]];
const FC = { seed: 20260527, numRuns: 60 };
const agg = gramianWeighted(createMMPareto());

describe('mmpareto', () => {
  it('conflicting pair (J_base): MGDA weights, rescaled to ‖g0 + g1‖, boosted by γ', () => {
    const r = agg.aggregate(J_BASE);
    // MGDA (0.6, 0.4) → h = 2·(0, 1, 1); ‖Σg‖ = 2√3 > ‖h‖ = 2√2, so d = 1.5·√(3/2)·(0, 2, 2).
    expect(r.info.branch).toBe('mgda');
    expect(r.info.rescaled).toBe(true);
    const v = 3 * Math.sqrt(1.5);
    [0, v, v].forEach((x, d) => expect(r.direction[d]).toBeCloseTo(x, 13));
    expect(r.weights[0]).toBeCloseTo(0.6 * 2 * Math.sqrt(1.5) * 1.5, 13);
  });

  it('reproduces the two-task reference formula when the gradients agree: d = γ(g0 + g1)', () => {
    const r = agg.aggregate([[1, 2, 0], [2, 0.5, 1]]);
    expect(r.info.branch).toBe('uniform');
    expect(r.info.rescaled).toBe(false);
    [4.5, 3.75, 1.5].forEach((x, d) => expect(r.direction[d]).toBeCloseTo(x, 14));
  });

  it('keeps at least the summed-gradient norm (times γ) outside the degenerate case', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 12] }), (rows) => {
      const r = agg.aggregate(rows);
      const sum = rows[0]!.map((_, d) => rows.reduce((s, g) => s + g[d]!, 0));
      if (!r.info.degenerate) expect(norm(r.direction)).toBeGreaterThanOrEqual(1.5 * norm(sum) * (1 - 1e-12));
    }), FC);
  });

  it('returns 0 when 0 ∈ conv{g_i} (zero row or opposite rows), flagged degenerate', () => {
    for (const rows of [[[1, 2], [0, 0]], [[1, 2], [-2, -4]]]) {
      const r = agg.aggregate(rows);
      expect(r.info.degenerate).toBe(true);
      expect([...r.direction]).toEqual([0, 0]);
    }
  });

  it('properties: P1, P2, P3 (1e-8), bitwise 2^k, P4, P8', () => {
    // Non-conflicting: either every M_ij > 0 (so ⟨Σg, g_i⟩ > 0) or the MGDA point, both scaled by a positive factor.
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 20] }), (rows) => assertProjectionProperties(agg, rows, (K) => Array.from({ length: K }, (_, i) => K - 1 - i))), FC);
    fc.assert(fc.property(arbSpecialJacobian(), ({ rows }) => assertFiniteStructure(agg, rows)), FC);
  });

  // Not asserted, with reasons: P5 (the branch and the rescale depend on the row scales);
  // P6 (weakly stationary inputs select MGDA, whose min-norm point is 0).

  it('validates options and round-trips its config', () => {
    expect(MMPARETO_DEFAULTS).toEqual({ gamma: 1.5 });
    expect(() => createMMPareto({ gamma: 0 })).toThrow(/`mmpareto.gamma` should be a finite number > 0/);
    const w = createMMPareto({ gamma: 2 });
    expect(createMMPareto(w.toConfig().options).toConfig()).toEqual({ id: 'mmpareto', options: { gamma: 2 } });
  });

  it('float32 rows (the tfjs path) agree with float64 rows to 1e-5 relative', () => {
    expectFloat32AgreesWithFloat64(gramianWeighted(createMMPareto()));
  });
});
