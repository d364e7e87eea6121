import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian, arbSpecialJacobian, EQUIVARIANCE_SCALES, POWER_OF_TWO_SCALES } from '../testing/arbitraries';
import {
  assertDeterministicAndPure, assertFiniteStructure, assertPermutationEquivariant, assertScaleEquivariant,
  assertWeightsBitwiseInvariant,
} from '../testing/asserts';
import { toGramian } from '../gram/to-gramian';
import { gramianWeighted } from './aggregator';
import { ALIGNED_MTL_DEFAULTS, createAlignedMTL } from './aligned-mtl';

const J_BASE = [[-4, 1, 1], [6, 1, 1]];
const FC = { seed: 20260527, numRuns: 60 };
const agg = gramianWeighted(createAlignedMTL());

describe('aligned-mtl', () => {
  it('matches the J_base anchors for pref sum (default) and mean (mtl-methods.md §7)', () => {
    const sum = agg.aggregate(J_BASE);
    [1.118144, 0.816522].forEach((v, i) => expect(sum.weights[i]).toBeCloseTo(v, 6));
    [0.426557, 1.934666, 1.934666].forEach((v, d) => expect(sum.direction[d]).toBeCloseTo(v, 6));
    const mean = gramianWeighted(createAlignedMTL({ pref: 'mean' })).aggregate(J_BASE);
    [0.559072, 0.408261].forEach((v, i) => expect(mean.weights[i]).toBeCloseTo(v, 6));
    [0.213279, 0.967333, 0.967333].forEach((v, d) => expect(mean.direction[d]).toBeCloseTo(v, 6));
  });

  it('closed forms (P7): identical rows give K·g (sum) or g (mean); orthogonal rows min(a,b)(ĝ0 + ĝ1)', () => {
    const g = [1, -3, 2];
    const id = agg.aggregate([g, g, g]);
    g.forEach((v, d) => expect(id.direction[d]).toBeCloseTo(3 * v, 13));
    const idMean = gramianWeighted(createAlignedMTL({ pref: 'mean' })).aggregate([g, g, g]);
    g.forEach((v, d) => expect(idMean.direction[d]).toBeCloseTo(v, 13));
    const orth = agg.aggregate([[3, 0], [0, 0.5]]);
    expect(orth.direction[0]).toBeCloseTo(0.5, 14);
    expect(orth.direction[1]).toBeCloseTo(0.5, 14);
    expect([...agg.aggregate([[0, 0], [0, 0]]).weights]).toEqual([0, 0]);
  });

  it('scale modes: σ² is the smallest, the lower median or the mean kept eigenvalue', () => {
    // Orthogonal rows of norms 1, 2, 3: w_i = σ/‖g_i‖ on the original scale.
    const gram = toGramian([[1, 0, 0], [0, 4, 0], [0, 0, 9]]);
    const w = (scaleMode: 'min' | 'median' | 'rmse') => [...createAlignedMTL({ scaleMode }).weigh(gram).weights];
    [1, 1 / 2, 1 / 3].forEach((v, i) => expect(w('min')[i]).toBeCloseTo(v, 14));
    [2, 1, 2 / 3].forEach((v, i) => expect(w('median')[i]).toBeCloseTo(v, 14));
    const s = Math.sqrt(14 / 3);
    [s, s / 2, s / 3].forEach((v, i) => expect(w('rmse')[i]).toBeCloseTo(v, 14));
    // Even count: the lower of the two middle eigenvalues (torch.median), here 4.
    const even = createAlignedMTL({ scaleMode: 'median' }).weigh(toGramian([[1, 0, 0, 0], [0, 4, 0, 0], [0, 0, 9, 0], [0, 0, 0, 16]]));
    [2, 1, 2 / 3, 1 / 2].forEach((v, i) => expect(even.weights[i]).toBeCloseTo(v, 14));
  });

  it('aligns the rows: B G has Gram σ²·P, P the projector on the kept eigenspace (columns of B from pref = e_i)', () => {
    fc.assert(fc.property(arbJacobian({ K: [2, 5], n: [1, 12] }), (rows) => {
      const K = rows.length;
      const gramRows = rows.map((a) => rows.map((b) => a.reduce((s, x, d) => s + x * b[d]!, 0)));
      const gram = toGramian(gramRows);
      const B = Array.from({ length: K }, (_, j) => createAlignedMTL({ pref: Array.from({ length: K }, (_, i) => (i === j ? 1 : 0)) }).weigh(gram));
      const { rank } = B[0]!.info;
      const sigmaSq = B[0]!.info.sigmaSq * (gramRows.reduce((s, r, i) => s + r[i]!, 0) / K);
      const C = Array.from({ length: K }, (_, a) => Array.from({ length: K }, (_, b) => {
        let v = 0;
        for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) v += B[a]!.weights[i]! * gramRows[i]![j]! * B[b]!.weights[j]!;
        return v;
      }));
      let trace = 0;
      for (let a = 0; a < K; a++) {
        trace += C[a]![a]!;
        for (let b = 0; b < K; b++) {
          let cc = 0;
          for (let k = 0; k < K; k++) cc += C[a]![k]! * C[k]![b]!;
          expect(Math.abs(cc - sigmaSq * C[a]![b]!)).toBeLessThanOrEqual(1e-7 * sigmaSq * sigmaSq);
        }
      }
      expect(Math.abs(trace - rank * sigmaSq)).toBeLessThanOrEqual(1e-7 * rank * sigmaSq);
    }), { ...FC, numRuns: 30 });
  });

  it('properties: P1, P2, P3 (1e-8), bitwise 2^k, P8', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 20] }), (rows) => {
      assertFiniteStructure(agg, rows);
      const K = rows.length;
      assertPermutationEquivariant(agg, rows, Array.from({ length: K }, (_, i) => K - 1 - i), { tol: 1e-8, compareWeights: rows[0]!.length >= K });
      for (const s of EQUIVARIANCE_SCALES) assertScaleEquivariant(agg, rows, s, { tol: 1e-8 });
      for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(agg, rows, s);
      assertDeterministicAndPure(agg, rows);
    }), FC);
    fc.assert(fc.property(arbSpecialJacobian(), ({ rows }) => assertFiniteStructure(agg, rows)), FC);
  });

  // Not asserted, with reasons:
  // P4: B equalises the principal components without looking at conflicts, so d can oppose a task.
  // P5: B depends on the spectrum of M, which mixing row scales changes non-linearly.
  // P6: not claimed by the method; strongly non-stationary inputs always give d ≠ 0 at full rank, but
  //     the float32 threshold can drop every direction of a badly scaled input.
  it('validates options and round-trips its config', () => {
    expect(ALIGNED_MTL_DEFAULTS).toEqual({ scaleMode: 'min', pref: 'sum' });
    expect(() => createAlignedMTL({ scaleMode: 'max' as 'min' })).toThrow(/`aligned-mtl.scaleMode` should be one of "min", "median", "rmse"/);
    expect(() => createAlignedMTL({ pref: [1, -1] })).toThrow(/`aligned-mtl.pref\[1\]` should be a finite number ≥ 0/);
    expect(() => createAlignedMTL({ pref: [1, 1] }).weigh(toGramian([[1]]))).toThrow(/`aligned-mtl.pref` should be length 1/);
    const w = createAlignedMTL({ scaleMode: 'rmse', pref: [1, 2] });
    expect(createAlignedMTL(w.toConfig().options).toConfig()).toEqual({ id: 'aligned-mtl', options: { scaleMode: 'rmse', pref: [1, 2] } });
  });

  it('float32 rows (the tfjs path) agree with float64 rows to 1e-5 relative', () => {
    const rows = [[-0.4, 0.1, 0.3], [0.6, 0.1, 0.1], [0.05, -0.7, 0.2]];
    const agg32 = gramianWeighted(createAlignedMTL());
    const d64 = agg32.aggregate(rows).direction;
    const d32 = agg32.aggregate(rows.map((r) => Float32Array.from(r))).direction;
    const ref = Math.max(...Array.from(d64, Math.abs));
    d64.forEach((v, d) => expect(Math.abs(d32[d]! - v)).toBeLessThanOrEqual(1e-5 * ref));
  });
});
