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
} from '../testing/asserts';
import { randomJacobian } from '../testing/random-matrix';
import { createAggregator } from './registry';

/*
 * Properties declared for CAGrad (mtl-methods.md §3.4, §6):
 *   P1 ✓  P2 ✓  P3 ✓ (bitwise for 2^k)  P8 ✓  P4 ✓ for c ≥ 1 only (the ball then contains 0, F* ≥ 0).
 *   P4 ✗ for c < 1: the ball may hold no common descent direction (came-grad.md §8.8 counter-example).
 *   P5 ✗: the dual solution is not linear in row scalings.
 *   P6 ✗ (not asserted by the spec): at c = 1, g0 + λ·g_w cancels when g_w* is antiparallel to g0.
 */
const SEED = 31337;
const JBASE = [[-4, 1, 1], [6, 1, 1]];

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

describe('cagrad', () => {
  it('J_base anchors for rescale 0, 1 (default), 2 (mtl-methods.md §7)', () => {
    const s6 = Math.sqrt(6);
    const base = [0.5 + s6 / 12, 0.5];
    for (const [rescale, R, d] of [
      [0, 1, [0.183503, 1.204124, 1.204124]],
      [1, 1.25, [0.146803, 0.963299, 0.963299]],
      [2, 1.5, [0.122336, 0.802749, 0.802749]],
    ] as const) {
      const out = createAggregator('cagrad', { c: 0.5, rescale }).aggregate(JBASE);
      expect(distance(out.weights, base.map((x) => x / R))).toBeLessThanOrEqual(1e-14);
      expect(distance(out.direction, d)).toBeLessThanOrEqual(1e-6);
    }
    const dflt = createAggregator('cagrad').aggregate(JBASE);
    expect(Array.from(dflt.weights)).toEqual(Array.from(createAggregator('cagrad', { c: 0.5, rescale: 1 }).aggregate(JBASE).weights));
    expect(dflt.info.dualWeights).toEqual(Float64Array.of(1, 0));
    expect(dflt.info.lambdaOverNorm).toBeCloseTo(s6 / 12, 14);
  });

  it('P7 closed forms: identical rows → (1+c)g/R, orthogonal equal norms → (1+c)(g0+g1)/(2R), opposite → 0', () => {
    for (const c of [0.3, 0.5, 2]) {
      const R = 1 + c * c;
      const agg = createAggregator('cagrad', { c });
      const g = [0.3, -1.2, 2];
      expect(distance(agg.aggregate([g, g, g]).direction, g.map((x) => ((1 + c) * x) / R))).toBeLessThanOrEqual(1e-14);
      expect(distance(agg.aggregate([[2, 0], [0, 2]]).direction, [(1 + c) / R, (1 + c) / R])).toBeLessThanOrEqual(1e-14);
      expect(Array.from(agg.aggregate([[1, 2], [-1, -2]]).direction)).toEqual([0, 0]);
    }
  });

  it('c = 0 returns the mean gradient; the degenerate branch projects g0 onto the dual cone', () => {
    expect(Array.from(createAggregator('cagrad', { c: 0 }).aggregate(JBASE).weights)).toEqual([0.5, 0.5]);
    const out = createAggregator('cagrad', { c: 1, rescale: 0 }).aggregate([[1, 0], [-1, 0], [1, 1]]);
    expect(out.info.degenerate).toBe(true);
    expect(distance(out.direction, [0, 1 / 3])).toBeLessThanOrEqual(1e-14);
  });

  it('duality certificate in D-space: min_i ⟨g_i, d·R⟩ = F(w*) to 1e-10 on the normalised scale', () => {
    fc.assert(fc.property(arbJacobian({ K: [2, 8], n: [1, 12] }), fc.constantFrom(0.25, 0.5, 0.9), (rows, c) => {
      const out = createAggregator('cagrad', { c, rescale: 0 }).aggregate(rows);
      if (out.info.stages.branch !== 'regular') return;
      const K = rows.length;
      const D = rows[0]!.length;
      const w = out.info.dualWeights!;
      const g0 = Array.from({ length: D }, (_, d) => rows.reduce((s, g) => s + g[d]!, 0) / K);
      const gw = Array.from({ length: D }, (_, d) => rows.reduce((s, g, i) => s + w[i]! * g[d]!, 0));
      const F = dot(gw, g0) + c * norm(g0) * norm(gw);
      const s2 = rows.reduce((s, g) => s + dot(g, g), 0) / K;
      const minInner = Math.min(...rows.map((g) => dot(g, out.direction)));
      expect(Math.abs(minInner - F) / s2).toBeLessThanOrEqual(1e-10);
      expect(out.info.stages.dualityGap!).toBeLessThanOrEqual(1e-10);
    }), { seed: SEED, numRuns: 150 });
  });

  it('P4 non-conflicting for c ∈ {1, 2} (torchjd test_cagrad)', () => {
    for (const c of [1, 2]) {
      const agg = createAggregator('cagrad', { c });
      fc.assert(fc.property(arbJacobian(), (rows) => assertNonConflicting(agg, rows)), { seed: SEED, numRuns: 80 });
    }
  });

  it('P1, P8 on random and special families; P2 permutation', () => {
    const agg = createAggregator('cagrad');
    fc.assert(fc.property(fc.oneof(arbJacobian(), arbSpecialJacobian().map((s) => s.rows)), (rows) => {
      assertFiniteStructure(agg, rows);
      assertDeterministicAndPure(agg, rows);
    }), { seed: SEED, numRuns: 100 });
    fc.assert(fc.property(
      arbJacobian({ K: [1, 8], n: [10, 10] }).chain((rows) => fc.tuple(fc.constant(rows), arbPermutation(rows.length))),
      ([rows, perm]) => assertPermutationEquivariant(agg, rows, perm, { compareWeights: true }),
    ), { seed: SEED, numRuns: 80 });
  });

  it('P3 scale equivariance (1e-12 for K ≤ 2, 1e-9 above) and bitwise weights for 2^k', () => {
    for (const rescale of [0, 1, 2] as const) {
      const agg = createAggregator('cagrad', { c: 0.5, rescale });
      for (let seed = 0; seed < 16; seed++) {
        const K = 1 + (seed % 8);
        const rows = randomJacobian(seed + 7, K, 2 + (seed % 4) * 3);
        for (const s of [...EQUIVARIANCE_SCALES, 0]) assertScaleEquivariant(agg, rows, s, { tol: K <= 2 ? 1e-12 : 1e-9, compareWeights: true });
        for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(agg, rows, s);
      }
    }
  });

  it('validates c and rescale', () => {
    expect(() => createAggregator('cagrad', { c: -0.1 })).toThrow(/`cagrad.c` should be a finite number ≥ 0/);
    expect(() => createAggregator('cagrad', { rescale: 3 as 0 })).toThrow(/`cagrad.rescale` should be one of 0, 1, 2/);
  });
});

describe('cagrad: P3 over the shared scale family (0, 1e-10 … 1e15, and negatives)', () => {
  it('A(sG) = s·A(G)', () => {
    const agg = createAggregator('cagrad');
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 12] }), arbScale(), (rows, s) => {
      assertScaleEquivariant(agg, rows, s, { tol: rows.length <= 2 ? 1e-12 : 1e-9, compareWeights: true });
    }), { seed: 2718, numRuns: 150 });
  });
});
