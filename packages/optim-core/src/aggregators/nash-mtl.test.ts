import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UndefinedResultError } from '../errors';
import { arbNonStationary, arbStronglyStationary, arbWeaklyStationary, EQUIVARIANCE_SCALES, POWER_OF_TWO_SCALES } from '../testing/arbitraries';
import {
  assertDeterministicAndPure, assertFiniteStructure, assertNonConflicting, assertPermutationEquivariant,
  assertScaleEquivariant, assertWeightsBitwiseInvariant, norm,
} from '../testing/asserts';
import { toGramian } from '../gram/to-gramian';
import { gramianWeighted } from './aggregator';
import { createNashMTL, NASH_MTL_DEFAULTS } from './nash-mtl';

const J_BASE = [[-4, 1, 1], [6, 1, 1]];
const FC = { seed: 20260527, numRuns: 60 };
const unclipped = gramianWeighted(createNashMTL({ maxNorm: 0 }));

function gramOf(rows: number[][]): number[][] {
  return rows.map((a) => rows.map((b) => a.reduce((s, x, d) => s + x * b[d]!, 0)));
}

describe('nash-mtl', () => {
  it('matches the J_base anchor (mtl-methods.md §7)', () => {
    const r = gramianWeighted(createNashMTL()).aggregate(J_BASE);
    expect(r.info.alpha[0]).toBeCloseTo(4.27765, 5);
    expect(r.info.alpha[1]).toBeCloseTo(2.944081, 6);
    // ‖d‖ before clipping is sqrt(K·‖M‖_F) = sqrt(2·sqrt(2736)).
    expect(r.info.normBeforeClip).toBeCloseTo(Math.sqrt(2 * Math.sqrt(2736)), 12);
    expect(r.info.normBeforeClip).toBeCloseTo(10.228078, 6);
    [0.054153, 0.706069, 0.706069].forEach((v, d) => expect(r.direction[d]).toBeCloseTo(v, 6));
    expect(norm(r.direction)).toBeCloseTo(1, 14);
    const u = unclipped.aggregate(J_BASE);
    [0.553884, 7.221731, 7.221731].forEach((v, d) => expect(u.direction[d]).toBeCloseTo(v, 6));
    expect(u.info.clipFactor).toBe(1);
  });

  it('closed forms (P7): identical rows give α = 1, orthogonal rows (a⁴+b⁴)^{1/4}(ĝ0+ĝ1)', () => {
    const g = [1, 2, -2];
    const id = unclipped.aggregate([g, g, g, g]);
    id.weights.forEach((w) => expect(w).toBeCloseTo(1, 14));
    const [a, b] = [3, 0.5];
    const orth = unclipped.aggregate([[a, 0], [0, b]]);
    const c = (a ** 4 + b ** 4) ** 0.25;
    expect(orth.direction[0]).toBeCloseTo(c, 13);
    expect(orth.direction[1]).toBeCloseTo(c, 13);
    expect(unclipped.aggregate([[0, -4]]).direction[1]).toBeCloseTo(-4, 14); // K = 1: d = g
  });

  it('solves M̃α = 1/α with ⟨d, g_i⟩ = ‖M‖_F/α_i > 0 (P4) when defined', () => {
    fc.assert(fc.property(arbNonStationary({ K: [1, 8], n: [1, 12] }), (rows) => {
      const r = unclipped.aggregate(rows);
      const M = gramOf(rows);
      const fro = Math.sqrt(M.flat().reduce((s, x) => s + x * x, 0));
      rows.forEach((g, i) => {
        const inner = g.reduce((s, x, d) => s + x * r.direction[d]!, 0);
        expect(Math.abs(inner - fro / r.info.alpha[i]!)).toBeLessThanOrEqual(1e-8 * (fro / r.info.alpha[i]!));
      });
      expect(r.info.residual).toBeLessThanOrEqual(1e-9);
      assertNonConflicting(unclipped, rows);
      assertNonConflicting(gramianWeighted(createNashMTL()), rows);
    }), FC);
  });

  it('properties on non-stationary inputs: P1, P2, P3 with maxNorm 0 (1e-8), bitwise 2^k, P8', () => {
    fc.assert(fc.property(arbNonStationary({ K: [1, 8], n: [1, 12] }), (rows) => {
      assertFiniteStructure(unclipped, rows);
      const K = rows.length;
      assertPermutationEquivariant(unclipped, rows, Array.from({ length: K }, (_, i) => K - 1 - i), { tol: 1e-8, compareWeights: true });
      for (const s of EQUIVARIANCE_SCALES) assertScaleEquivariant(unclipped, rows, s, { tol: 1e-8, compareWeights: true });
      for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(unclipped, rows, s);
      assertDeterministicAndPure(unclipped, rows);
    }), FC);
  });

  it('throws UndefinedResultError when 0 ∈ conv{g_i}: opposite, zero, strongly or weakly stationary rows', () => {
    const cases = [[[1, 2], [-1, -2]], [[1, 2], [0, 0]], [[0, 0, 0]]];
    for (const rows of cases) expect(() => unclipped.aggregate(rows)).toThrow(UndefinedResultError);
    expect(() => unclipped.aggregate([[1, 0], [0, 0]])).toThrow(/`nash-mtl` is undefined for this input: 0 ∈ conv\{g_i\}/);
    fc.assert(fc.property(fc.oneof(arbStronglyStationary(), arbWeaklyStationary()), (rows) => {
      expect(() => unclipped.aggregate(rows)).toThrow(UndefinedResultError);
    }), { ...FC, numRuns: 30 });
  });

  it('clips ‖d‖ to maxNorm, never enlarges it', () => {
    const w = createNashMTL({ maxNorm: 2 });
    const big = toGramian([[18, -22], [-22, 38]]);
    const r = w.weigh(big);
    expect(r.info.clipFactor).toBeCloseTo(2 / Math.sqrt(2 * Math.sqrt(2736)), 14);
    const small = toGramian([[1e-4, 0], [0, 1e-4]]);
    expect(w.weigh(small).info.clipFactor).toBe(1);
  });

  // Not asserted, with reasons: P3 with maxNorm > 0 (clipping is scale-dependent by design);
  // P5 (α solves a non-linear system in M); P6 on weakly stationary inputs (undefined there: throws).
  it('validates options and round-trips its config', () => {
    expect(NASH_MTL_DEFAULTS).toEqual({ maxNorm: 1 });
    expect(() => createNashMTL({ maxNorm: -1 })).toThrow(/`nash-mtl.maxNorm` should be a finite number ≥ 0/);
    expect(() => createNashMTL({ max_norm: 1 } as object)).toThrow(/`nash-mtl.max_norm`/);
    const w = createNashMTL({ maxNorm: 0.5 });
    expect(createNashMTL(w.toConfig().options).toConfig()).toEqual({ id: 'nash-mtl', options: { maxNorm: 0.5 } });
  });

  it('float32 rows (the tfjs path) agree with float64 rows to 1e-5 relative', () => {
    const rows = [[-0.4, 0.1, 0.3], [0.6, 0.1, 0.1], [0.05, -0.7, 0.2]];
    const agg32 = gramianWeighted(createNashMTL({ maxNorm: 0 }));
    const d64 = agg32.aggregate(rows).direction;
    const d32 = agg32.aggregate(rows.map((r) => Float32Array.from(r))).direction;
    const ref = Math.max(...Array.from(d64, Math.abs));
    d64.forEach((v, d) => expect(Math.abs(d32[d]! - v)).toBeLessThanOrEqual(1e-5 * ref));
  });
});
