import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian, arbNonStationary, arbSpecialJacobian, arbWeaklyStationary } from '../testing/arbitraries';
import { assertFiniteStructure, assertLinearUnderScaling, assertNonZeroWhenNotStationary } from '../testing/asserts';
import { toGramian } from '../gram/to-gramian';
import { gramianWeighted } from './aggregator';
import { assertProjectionProperties, expectFloat32AgreesWithFloat64 } from './gramian-properties.fixture';
import { createUPGrad, UPGRAD_DEFAULTS } from './upgrad';

const J_BASE = [[-4, 1, 1], [6, 1, 1]];
const FC = { seed: 20260527, numRuns: 50 };
const agg = gramianWeighted(createUPGrad());
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, d) => s + x * b[d]!, 0);

describe('upgrad', () => {
  it('matches the J_base anchor exactly, and torchjd with regEps = 1e-4 (mtl-methods.md §7)', () => {
    const r = agg.aggregate(J_BASE);
    expect(r.weights[0]).toBeCloseTo(10 / 9, 14);
    expect(r.weights[1]).toBeCloseTo(15 / 19, 14);
    [50 / 171, 325 / 171, 325 / 171].forEach((v, d) => expect(r.direction[d]).toBeCloseTo(v, 13));
    const tj = gramianWeighted(createUPGrad({ regEps: 1e-4 })).aggregate(J_BASE);
    [1.1109, 0.7894].forEach((v, i) => expect(Math.abs(tj.weights[i]! - v)).toBeLessThan(1e-4));
    [0.2929, 1.9004, 1.9004].forEach((v, d) => expect(Math.abs(tj.direction[d]! - v)).toBeLessThan(1e-4));
  });

  it('closed forms (P7): identical rows → g, orthogonal rows → (g0 + g1)/2, opposite rows → 0', () => {
    const g = [1, 2, -1];
    agg.aggregate([g, g, g, g]).direction.forEach((v, d) => expect(v).toBeCloseTo(g[d]!, 14));
    expect([...agg.aggregate([[3, 0], [0, 0.5]]).direction]).toEqual([1.5, 0.25]);
    agg.aggregate([[1, -2], [-1, 2]]).direction.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-15));
  });

  it('each π_C(g_i) satisfies the projection KKT conditions in D-space', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 6], n: [1, 10] }), (rows) => {
      const r = agg.aggregate(rows);
      const scale = Math.max(...rows.map((g) => dot(g, g)));
      r.info.projections.forEach((c, i) => {
        const x = rows[0]!.map((_, d) => rows.reduce((s, g, k) => s + c[k]! * g[d]!, 0));
        rows.forEach((g, k) => {
          const gx = dot(g, x);
          expect(gx).toBeGreaterThanOrEqual(-1e-9 * scale); // x ∈ C
          const beta = c[k]! - (k === i ? 1 : 0);
          expect(beta).toBeGreaterThanOrEqual(-1e-12); // β ≥ 0
          if (beta > 1e-9) expect(Math.abs(gx)).toBeLessThanOrEqual(1e-8 * scale); // complementarity
        });
      });
    }), FC);
  });

  it('properties: P1, P2, P3 (1e-8), bitwise 2^k, P4, P5, P6, P8', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 20] }), (rows) => assertProjectionProperties(agg, rows, (K) => Array.from({ length: K }, (_, i) => (i + 2) % K))), FC);
    fc.assert(fc.property(
      arbJacobian({ K: [1, 5], n: [1, 10] }),
      // Positive row scales (a zero scale changes the dual cone, as torchjd samples them from (0, 1)),
      // kept within 1e-3…5 because products near 1e-150 underflow M itself.
      fc.array(fc.double({ min: 1e-3, max: 5, noNaN: true }), { minLength: 5, maxLength: 5 }),
      fc.array(fc.double({ min: 1e-3, max: 5, noNaN: true }), { minLength: 5, maxLength: 5 }),
      fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 3, noNaN: true })),
      fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 3, noNaN: true })),
      (rows, c1, c2, a, b) => assertLinearUnderScaling(agg, rows, c1.slice(0, rows.length), c2.slice(0, rows.length), a, b, { tol: 1e-8 }),
    ), FC);
    fc.assert(fc.property(fc.oneof(arbNonStationary(), arbWeaklyStationary()), (rows) => assertNonZeroWhenNotStationary(agg, rows)), FC);
    fc.assert(fc.property(arbSpecialJacobian(), ({ rows }) => assertFiniteStructure(agg, rows)), FC);
  });

  it('validates options and round-trips its config', () => {
    expect(UPGRAD_DEFAULTS).toEqual({ pref: 'mean', regEps: 0 });
    expect(() => createUPGrad({ regEps: -1 })).toThrow(/`upgrad.regEps` should be a finite number ≥ 0/);
    expect(() => createUPGrad({ pref: 'sum' as 'mean' })).toThrow(/`upgrad.pref` should be one of "mean"/);
    expect(() => createUPGrad({ pref: [1, 1] }).weigh(toGramian([[1]]))).toThrow(/`upgrad.pref` should be length 1/);
    const w = createUPGrad({ pref: [1, 1], regEps: 1e-4 });
    expect(createUPGrad(w.toConfig().options).toConfig()).toEqual({ id: 'upgrad', options: { pref: [1, 1], regEps: 1e-4 } });
  });

  it('float32 rows (the tfjs path) agree with float64 rows to 1e-5 relative', () => {
    expectFloat32AgreesWithFloat64(gramianWeighted(createUPGrad()));
  });
});
