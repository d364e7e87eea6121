import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian, arbNonStationary, arbPermutation, EQUIVARIANCE_SCALES, POWER_OF_TWO_SCALES } from '../testing/arbitraries';
import {
  assertFiniteStructure,
  assertLinearUnderScaling,
  assertNonZeroWhenNotStationary,
  assertPermutationEquivariant,
  assertScaleEquivariant,
  assertWeightsBitwiseInvariant,
} from '../testing/asserts';
import { randomJacobian } from '../testing/random-matrix';
import { createAggregator } from './registry';

/*
 * Properties declared for linear scalarisation (mtl-methods.md §3.1, §6):
 *   P1 ✓  P2 ✓ (weighted: ω permuted)  P3 ✓  P5 ✓  P6 ✓ with positive weights.
 *   P4 ✗: the plain sum conflicts whenever one gradient dominates an opposing one (J_base: ⟨g_0, Σg⟩ < 0).
 */
const SEED = 99;
const JBASE = [[-4, 1, 1], [6, 1, 1]];

describe('linear', () => {
  it('J_base anchors: sum (2,2,2), mean (1,1,1), weighted (1,2) → (8,3,3)', () => {
    expect(Array.from(createAggregator('linear').aggregate(JBASE).direction)).toEqual([2, 2, 2]);
    expect(Array.from(createAggregator('linear', { reduction: 'mean' }).aggregate(JBASE).direction)).toEqual([1, 1, 1]);
    const w = createAggregator('linear', { weights: [1, 2] }).aggregate(JBASE);
    expect(Array.from(w.direction)).toEqual([8, 3, 3]);
    expect(Array.from(w.weights)).toEqual([1, 2]);
    expect(w.info.reduction).toBe('weighted');
  });

  it('weighted uses ctx.taskWeights when given (scheduled loss weights)', () => {
    const agg = createAggregator('linear', { weights: [1, 2] });
    expect(Array.from(agg.aggregate(JBASE, { taskWeights: [0, 1] }).direction)).toEqual([6, 1, 1]);
  });

  it('P1, P2, P3, P5, P6', () => {
    for (const opts of [{}, { reduction: 'mean' as const }]) {
      const agg = createAggregator('linear', opts);
      fc.assert(fc.property(arbJacobian(), (rows) => assertFiniteStructure(agg, rows)), { seed: SEED, numRuns: 40 });
      fc.assert(fc.property(
        arbJacobian({ K: [1, 8], n: [5, 5] }).chain((rows) => fc.tuple(
          fc.constant(rows), arbPermutation(rows.length),
          fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: rows.length, maxLength: rows.length }),
          fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: rows.length, maxLength: rows.length }),
          fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }),
        )),
        ([rows, perm, c1, c2, a, b]) => {
          assertPermutationEquivariant(agg, rows, perm, { compareWeights: true, tol: 1e-14 });
          assertLinearUnderScaling(agg, rows, c1, c2, a, b, { tol: 1e-12 });
        },
      ), { seed: SEED, numRuns: 60 });
      fc.assert(fc.property(arbNonStationary(), (rows) => assertNonZeroWhenNotStationary(agg, rows)), { seed: SEED, numRuns: 40 });
      for (let seed = 0; seed < 8; seed++) {
        const rows = randomJacobian(seed, 1 + seed, 6);
        for (const s of [...EQUIVARIANCE_SCALES, 0]) assertScaleEquivariant(agg, rows, s, { tol: 1e-14, compareWeights: true });
        for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(agg, rows, s);
      }
    }
  });

  it('validates its options', () => {
    expect(() => createAggregator('linear', { reduction: 'max' as 'sum' })).toThrow(/`linear.reduction` should be one of "sum", "mean"/);
    expect(() => createAggregator('linear', { weights: [] })).toThrow(/`linear.weights` should be a non-empty array/);
    expect(() => createAggregator('linear', { weights: [1], reduction: 'sum' })).toThrow(/`linear.reduction` should be absent/);
    expect(() => createAggregator('linear', { weights: [1, 2] }).aggregate([[1]])).toThrow(/`linear.weights` should be length 1/);
  });
});
