import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian, arbNonStationary, arbSpecialJacobian, arbWeaklyStationary } from '../testing/arbitraries';
import { assertFiniteStructure, assertLinearUnderScaling, assertNonZeroWhenNotStationary } from '../testing/asserts';
import { gramianWeighted } from './aggregator';
import { assertProjectionProperties, expectFloat32AgreesWithFloat64 } from './gramian-properties.fixture';
import { createDualProj, DUALPROJ_DEFAULTS } from './dualproj';

const J_BASE = [[-4, 1, 1], [6, 1, 1]];
const FC = { seed: 20260527, numRuns: 60 };
const agg = gramianWeighted(createDualProj());

describe('dualproj', () => {
  it('matches the J_base anchor exactly, and torchjd with regEps = 1e-4 (mtl-methods.md §7)', () => {
    const r = agg.aggregate(J_BASE);
    expect(r.weights[0]).toBeCloseTo(11 / 18, 14);
    expect(r.weights[1]).toBeCloseTo(1 / 2, 14);
    [5 / 9, 10 / 9, 10 / 9].forEach((v, d) => expect(r.direction[d]).toBeCloseTo(v, 13));
    const tj = gramianWeighted(createDualProj({ regEps: 1e-4 })).aggregate(J_BASE);
    [0.6109, 0.5].forEach((v, i) => expect(Math.abs(tj.weights[i]! - v)).toBeLessThan(1e-4));
    [0.5563, 1.1109, 1.1109].forEach((v, d) => expect(Math.abs(tj.direction[d]! - v)).toBeLessThan(1e-4));
  });

  it('closed forms (P7): identical rows → g, orthogonal rows → (g0 + g1)/2, opposite rows → 0', () => {
    const g = [1, 2, -1];
    agg.aggregate([g, g, g]).direction.forEach((v, d) => expect(v).toBeCloseTo(g[d]!, 14));
    expect([...agg.aggregate([[3, 0], [0, 0.5]]).direction]).toEqual([1.5, 0.25]);
    agg.aggregate([[1, -2], [-1, 2]]).direction.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-15));
  });

  it('properties: P1, P2, P3 (1e-8), bitwise 2^k, P4, P6, P8', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 20] }), (rows) => assertProjectionProperties(agg, rows, (K) => Array.from({ length: K }, (_, i) => K - 1 - i))), FC);
    fc.assert(fc.property(fc.oneof(arbNonStationary(), arbWeaklyStationary()), (rows) => assertNonZeroWhenNotStationary(agg, rows)), FC);
    fc.assert(fc.property(arbSpecialJacobian(), ({ rows }) => assertFiniteStructure(agg, rows)), FC);
  });

  // Not asserted: P5. DualProj projects the mean once, and the projection of a sum is not the sum of projections.
  it('is not linear under scaling (why P5 is not claimed)', () => {
    expect(() => assertLinearUnderScaling(agg, J_BASE, [1, 0], [0, 1], 1, 1)).toThrow(/P5/);
  });

  it('validates options and round-trips its config', () => {
    expect(DUALPROJ_DEFAULTS).toEqual({ pref: 'mean', regEps: 0 });
    expect(() => createDualProj({ regEps: Number.POSITIVE_INFINITY })).toThrow(/`dualproj.regEps` should be a finite number ≥ 0/);
    const w = createDualProj({ pref: [2, 1] });
    expect(createDualProj(w.toConfig().options).toConfig()).toEqual({ id: 'dualproj', options: { pref: [2, 1], regEps: 0 } });
  });

  it('float32 rows (the tfjs path) agree with float64 rows to 1e-5 relative', () => {
    expectFloat32AgreesWithFloat64(gramianWeighted(createDualProj()));
  });
});
