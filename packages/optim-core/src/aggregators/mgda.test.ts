import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian, arbScale, arbPermutation, arbSpecialJacobian, EQUIVARIANCE_SCALES, POWER_OF_TWO_SCALES } from '../testing/arbitraries';
import {
  assertDeterministicAndPure,
  assertFiniteStructure,
  assertNonConflicting,
  assertPermutationEquivariant,
  assertScaleEquivariant,
  assertWeightsBitwiseInvariant,
  distance,
  norm,
  scaleRows,
} from '../testing/asserts';
import { randomJacobian } from '../testing/random-matrix';
import { createAggregator } from './registry';

/*
 * Properties declared for MGDA (mtl-methods.md §3.3, §6):
 *   P1 ✓  P2 ✓ (outputs; weights only where unique)  P4 ✓ (⟨d, g_i⟩ ≥ ‖d‖²)  P8 ✓
 *   P3 ✓ for normalize 'none'. With 'l2' the output is homogeneous of degree 0: d(sG) = sign(s)·d(G).
 *   P5 ✗: the min-norm point is not linear in row scalings.
 *   P6 ✗: d = 0 for weakly stationary inputs (0 ∈ conv with a zero weight), which are not strongly stationary.
 */
const SEED = 777;
const JBASE = [[-4, 1, 1], [6, 1, 1]];

describe('mgda', () => {
  it('J_base anchors: w = (0.6, 0.4), d = (0, 1, 1); l2: w = (0.117851, 0.081111)', () => {
    const out = createAggregator('mgda').aggregate(JBASE);
    expect(Array.from(out.weights)).toEqual([0.6, 0.4]);
    expect(distance(out.direction, [0, 1, 1])).toBeLessThanOrEqual(1e-15);
    const l2 = createAggregator('mgda', { normalize: 'l2' }).aggregate(JBASE);
    expect(distance(l2.weights, [0.5 / Math.sqrt(18), 0.5 / Math.sqrt(38)])).toBeLessThanOrEqual(1e-15);
    expect(distance(l2.weights, [0.117851, 0.081111])).toBeLessThanOrEqual(1e-6);
    expect(distance(l2.direction, [0.015260, 0.198962, 0.198962])).toBeLessThanOrEqual(1e-6);
  });

  it('P7: identical rows → g; orthogonal rows → (b²g0 + a²g1)/(a² + b²); opposite equal norms → 0', () => {
    const agg = createAggregator('mgda');
    const g = [1, -2, 0.5];
    expect(distance(agg.aggregate([g, g, g, g]).direction, g)).toBeLessThanOrEqual(1e-15);
    const a = 3, b = 0.5;
    const out = agg.aggregate([[a, 0], [0, b]]);
    expect(distance(out.direction, [(b * b * a) / (a * a + b * b), (a * a * b) / (a * a + b * b)])).toBeLessThanOrEqual(1e-15);
    expect(norm(agg.aggregate([[1, 2], [-1, -2]]).direction)).toBe(0);
  });

  it('l2 with a zero row returns d = 0; l2 is degree-0 homogeneous', () => {
    const l2 = createAggregator('mgda', { normalize: 'l2' });
    expect(norm(l2.aggregate([[1, 2], [0, 0], [3, 1]]).direction)).toBe(0);
    const rows = randomJacobian(3, 4, 6);
    const d = l2.aggregate(rows).direction;
    for (const s of [1e-8, 1e6, -3]) {
      expect(distance(l2.aggregate(scaleRows(rows, s)).direction, Array.from(d, (x) => Math.sign(s) * x))).toBeLessThanOrEqual(1e-9 * norm(d));
    }
  });

  it('P4: ⟨d, g_i⟩ ≥ ‖d‖² − tol for every i, both normalisations', () => {
    for (const normalize of ['none', 'l2'] as const) {
      const agg = createAggregator('mgda', { normalize });
      fc.assert(fc.property(arbJacobian(), (rows) => {
        assertNonConflicting(agg, rows);
        const d = agg.aggregate(rows).direction;
        const dd = norm(d) ** 2;
        const gMax = Math.max(...rows.map(norm));
        for (const g of rows) {
          let s = 0;
          for (let k = 0; k < g.length; k++) s += g[k]! * d[k]!;
          if (normalize === 'none') expect(s).toBeGreaterThanOrEqual(dd - 1e-9 * gMax * gMax);
        }
      }), { seed: SEED, numRuns: 100 });
    }
  });

  it('P1, P8, P2 and P3 (normalize none)', () => {
    const agg = createAggregator('mgda');
    fc.assert(fc.property(fc.oneof(arbJacobian(), arbSpecialJacobian().map((s) => s.rows)), (rows) => {
      assertFiniteStructure(agg, rows);
      assertDeterministicAndPure(agg, rows);
    }), { seed: SEED, numRuns: 100 });
    fc.assert(fc.property(
      arbJacobian({ K: [1, 8], n: [10, 10] }).chain((rows) => fc.tuple(fc.constant(rows), arbPermutation(rows.length))),
      ([rows, perm]) => assertPermutationEquivariant(agg, rows, perm),
    ), { seed: SEED, numRuns: 80 });
    for (let seed = 0; seed < 16; seed++) {
      const K = 1 + (seed % 8);
      const rows = randomJacobian(seed + 3, K, 10);
      for (const s of [...EQUIVARIANCE_SCALES, 0]) assertScaleEquivariant(agg, rows, s, { tol: K <= 2 ? 1e-12 : 1e-9 });
      for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(agg, rows, s);
    }
  });

  it('validates normalize', () => {
    expect(() => createAggregator('mgda', { normalize: 'l1' as 'l2' })).toThrow(/`mgda.normalize` should be one of "none", "l2"/);
  });
});

describe('mgda: P3 over the shared scale family (0, 1e-10 … 1e15, and negatives)', () => {
  it('A(sG) = s·A(G)', () => {
    const agg = createAggregator('mgda');
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 12] }), arbScale(), (rows, s) => {
      assertScaleEquivariant(agg, rows, s, { tol: rows.length <= 2 ? 1e-12 : 1e-9 });
    }), { seed: 2718, numRuns: 150 });
  });
});
