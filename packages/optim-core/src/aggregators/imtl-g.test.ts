import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian, arbSpecialJacobian, EQUIVARIANCE_SCALES, POWER_OF_TWO_SCALES } from '../testing/arbitraries';
import {
  assertDeterministicAndPure, assertFiniteStructure, assertPermutationEquivariant, assertScaleEquivariant,
  assertWeightsBitwiseInvariant,
} from '../testing/asserts';
import { gramianWeighted } from './aggregator';
import { createIMTLG, IMTL_G_DEFAULTS } from './imtl-g';

const J_BASE = [[-4, 1, 1], [6, 1, 1]];
const FC = { seed: 20260527, numRuns: 60 };
const agg = gramianWeighted(createIMTLG());
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, d) => s + x * b[d]!, 0);

describe('imtl-g', () => {
  it('matches the J_base anchor (mtl-methods.md §7)', () => {
    const r = agg.aggregate(J_BASE);
    expect(r.weights[0]).toBeCloseTo(0.59233, 6);
    expect(r.weights[1]).toBeCloseTo(0.40767, 6);
    [0.076697, 1, 1].forEach((v, d) => expect(r.direction[d]).toBeCloseTo(v, 6));
  });

  it('closed forms (P7): identical rows give g, orthogonal rows (b·g0 + a·g1)/(a + b)', () => {
    const g = [2, -1, 0.5];
    const id = agg.aggregate([g, g, g]);
    g.forEach((v, d) => expect(id.direction[d]).toBeCloseTo(v, 14));
    const [a, b] = [3, 0.25];
    const orth = agg.aggregate([[a, 0], [0, b]]);
    expect(orth.direction[0]).toBeCloseTo((b * a) / (a + b), 14);
    expect(orth.direction[1]).toBeCloseTo((a * b) / (a + b), 14);
    expect(orth.info.projection).toBeCloseTo((a * b) / (a + b), 14);
  });

  it('is impartial: equal projections ⟨d, g_i⟩/‖g_i‖ on full-rank inputs, with Σw = 1', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 6], n: [6, 12] }), (rows) => {
      const r = agg.aggregate(rows);
      const proj = rows.map((g) => dot(r.direction, g) / Math.sqrt(dot(g, g)));
      const ref = Math.max(...proj.map(Math.abs));
      for (const p of proj) expect(Math.abs(p - r.info.projection)).toBeLessThanOrEqual(1e-8 * ref);
      expect(Array.from(r.weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 10);
    }), FC);
  });

  it('handles zero and opposite rows (pseudo-inverse) without NaN', () => {
    const zero = agg.aggregate([[1, 2], [0, 0]]);
    // With g_1 = 0 the only non-zero task gets w = 1: M⁺n = (1/‖g0‖, 0).
    expect([...zero.weights]).toEqual([1, 0]);
    const opposite = agg.aggregate([[1, 2], [-1, -2]]);
    expect([...opposite.weights]).toEqual([0, 0]);
    expect(opposite.info.degenerate).toBe(true);
    expect([...agg.aggregate([[0, 0], [0, 0]]).weights]).toEqual([0, 0]);
  });

  it('properties: P1, P2 (weights unique at full rank), P3 (1e-8), bitwise 2^k, P8', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 20] }), (rows) => {
      assertFiniteStructure(agg, rows);
      const K = rows.length;
      const fullRank = rows[0]!.length >= K;
      assertPermutationEquivariant(agg, rows, Array.from({ length: K }, (_, i) => (i + 1) % K), { tol: 1e-8, compareWeights: fullRank });
      for (const s of EQUIVARIANCE_SCALES) assertScaleEquivariant(agg, rows, s, { tol: 1e-8 });
      for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(agg, rows, s);
      assertDeterministicAndPure(agg, rows);
    }), FC);
    fc.assert(fc.property(arbSpecialJacobian(), ({ rows }) => assertFiniteStructure(agg, rows)), FC);
  });

  // Not asserted, with reasons:
  // P4: at full rank (Mw)_i = n_i/Σv with Σv = 1ᵀM⁺n, which can be negative for K ≥ 3: d then opposes every task.
  // P5: v = M⁺n is not linear in the row scales (n and M scale differently).
  // P6: w = 0 whenever Σv = 0, e.g. on non-stationary inputs whose M⁺n sums to 0.
  it('can conflict with every task (why P4 is not claimed)', () => {
    // A full-rank K = 3 input with Σv < 0 (for K = 2 the common projection is always positive).
    const rows = [[-0.3, -1, 0.1], [1.7, -12.2, 0], [-1.7, 2.8, -0.9]];
    const r = agg.aggregate(rows);
    for (const g of rows) expect(dot(r.direction, g)).toBeLessThan(0);
  });

  it('has no options and round-trips its config', () => {
    expect(IMTL_G_DEFAULTS).toEqual({});
    expect(() => createIMTLG({ rcond: 1e-6 } as unknown as Record<string, never>)).toThrow(/`imtl-g.rcond`/);
    expect(createIMTLG().toConfig()).toEqual({ id: 'imtl-g', options: {} });
  });

  it('float32 rows (the tfjs path) agree with float64 rows to 1e-5 relative', () => {
    const rows = [[-0.4, 0.1, 0.3], [0.6, 0.1, 0.1], [0.05, -0.7, 0.2]];
    const agg32 = gramianWeighted(createIMTLG());
    const d64 = agg32.aggregate(rows).direction;
    const d32 = agg32.aggregate(rows.map((r) => Float32Array.from(r))).direction;
    const ref = Math.max(...Array.from(d64, Math.abs));
    d64.forEach((v, d) => expect(Math.abs(d32[d]! - v)).toBeLessThanOrEqual(1e-5 * ref));
  });
});

describe('imtl-g against the paper’s closed form (Liu et al. 2021, Eq. 9)', () => {
  it('α_{2:K} = g_1Uᵀ(DUᵀ)⁻¹, α_1 = 1 − Σα_{2:K} for full-rank K = 3', () => {
    fc.assert(fc.property(arbJacobian({ K: 3, n: [3, 9] }), (rows) => {
      const u = rows.map((g) => g.map((x) => x / Math.sqrt(dot(g, g))));
      const Dm = [1, 2].map((i) => rows[0]!.map((x, d) => x - rows[i]![d]!));
      const Um = [1, 2].map((i) => u[0]!.map((x, d) => x - u[i]![d]!));
      const A = Dm.map((dr) => Um.map((ur) => dot(dr, ur))); // (DUᵀ)_{ab} = ⟨D_a, U_b⟩
      const b = Um.map((ur) => dot(rows[0]!, ur)); // g_1Uᵀ
      // Solve xA = b (row vector): Aᵀxᵀ = bᵀ, 2×2 by Cramer's rule.
      const det = A[0]![0]! * A[1]![1]! - A[0]![1]! * A[1]![0]!;
      const x0 = (b[0]! * A[1]![1]! - b[1]! * A[1]![0]!) / det;
      const x1 = (A[0]![0]! * b[1]! - A[0]![1]! * b[0]!) / det;
      const expected = [1 - x0 - x1, x0, x1];
      const w = agg.aggregate(rows).weights;
      expected.forEach((e, i) => expect(Math.abs(w[i]! - e)).toBeLessThanOrEqual(1e-8 * Math.max(1, ...expected.map(Math.abs))));
    }), FC);
  });
});
