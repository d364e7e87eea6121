import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, NonFiniteError, ShapeError } from '../errors';
import { arbJacobian, arbScale, arbNonStationary, arbPermutation, arbSpecialJacobian, arbTaskWeights, EQUIVARIANCE_SCALES, POWER_OF_TWO_SCALES } from '../testing/arbitraries';
import {
  assertDeterministicAndPure,
  assertFiniteStructure,
  assertNonConflicting,
  assertNonZeroWhenNotStationary,
  assertPermutationEquivariant,
  assertScaleEquivariant,
  assertWeightsBitwiseInvariant,
  distance,
  norm,
} from '../testing/asserts';
import { randomJacobian } from '../testing/random-matrix';
import { createAggregator, createWeighting } from './registry';

/*
 * Properties (mtl-methods.md §6) declared for CAME-Grad:
 *   P1 structure ✓  P2 permutation (ω permuted along) ✓  P3 scale ✓ (bitwise for 2^k)  P8 determinism ✓
 *   P6 strong stationarity ✓ for ω > 0 and ν ≠ ½ (g_final = 0 would need u_en = −κ·g_joint and ν = ½).
 *   P4 non-conflict ✗: S3 fuses back g_joint, which can conflict (example C2).
 *   P5 linearity under scaling ✗: S1's dual and S2's norm reset are not linear in row scalings.
 */
const SEED = 424242;
const OPTS = { rho: 0.5, kappa: 1.5, nu: 0.2 };

function run(rows: number[][], options: Record<string, unknown> = {}) {
  return createAggregator('came-grad', { ...OPTS, ...options }).aggregate(rows);
}
function expectVec(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1, norm(expected));
  expect(distance(actual, expected)).toBeLessThanOrEqual(tol * scale);
}
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
function inner(rows: number[][], d: ArrayLike<number>): number[] {
  return rows.map((g) => dot(g, d));
}

describe('came-grad: worked examples of came-grad.md §9', () => {
  it('C1 J_base: exact closed-form stages and f = (10.765101, 8.631290)', () => {
    const rows = [[-4, 1, 1], [6, 1, 1]];
    const { weights, direction, info } = run(rows, { weights: [1, 4] });
    const d = info.diagnostics;
    const s6 = Math.sqrt(6);
    const uRect = [1 - s6 / 3, 1 + s6 / 12, 1 + s6 / 12];
    const nRect = norm(uRect);
    const joint = 15 * Math.sqrt(2);
    const r = [0.5 + s6 / 12, 0.5];
    const f = r.map((ri, i) => 0.8 * 1.5 * joint / nRect * ri + 0.2 * 1.5 * [1, 4][i]!);
    expectVec(weights, f, 1e-12);
    expectVec(weights, [10.765101, 8.631290], 1e-6);
    expectVec(direction, [8.727334, 19.396391, 19.396391], 1e-6);
    expectVec(inner(rows, direction), [3.883446, 91.156788], 1e-6);
    expect(d.branch).toBe('regular');
    expectVec(d.dualWeights!, [1, 0], 1e-15);
    expect(d.lambda).toBeCloseTo(s6 / 12, 14);
    expect(d.dualValue).toBeCloseTo(Math.min(...inner(rows, uRect)), 12);
    expect(d.dualValue).toBeCloseTo(1.674235, 6);
    expect(d.minInnerRect).toBeCloseTo(1.674235, 6);
    expect(d.rectNorm).toBeCloseTo(nRect, 12);
    expect(d.enNorm).toBeCloseTo(1.5 * joint, 12);
    expect(d.cosines[0]![1]).toBeCloseTo(-22 / Math.sqrt(18 * 38), 14);
    expect(d.cosines[0]![1]).toBeCloseTo(-0.841191, 6);
    expect(d.energyRatio).toBeCloseTo(450 / 626, 14);
    expect(d.interaction).toBe(-176);
    expect(d.interactionWithGeneration).toBe(-176);
    expect(d.jointNormSq).toBeCloseTo(450, 12);
    expect(d.weightedEnergy).toBe(626);
    expect(d.conflictPairs).toEqual([[0, 1]]);
    expect(d.conflictWithGeneration).toEqual([false, true]);
    expect(d.dualityGap!).toBeLessThanOrEqual(1e-12);
  });

  it('C2: S1 is conflict-free but fusion reintroduces conflict', () => {
    const rows = [[1, 0], [-2, 2]];
    const { weights, direction, info } = run(rows, { weights: [1, 4] });
    expectVec(weights, [13.785541, 7.567009], 1e-6);
    expectVec(direction, [-1.348477, 15.134018], 1e-6);
    expect(info.diagnostics.minInnerRect).toBeCloseTo(0.059017, 6);
    expect(info.diagnostics.minInnerFinal).toBeCloseTo(-1.348477, 6);
    expectVec(info.diagnostics.dualWeights!, [1, 0], 1e-15);
  });

  it('C3: no common direction in the ball; u_rect = (−0.25, 0)', () => {
    const { weights, direction, info } = run([[1, 0], [-2, 0]], { weights: [1, 4] });
    expectVec(weights, [25.5, 18], 1e-12);
    expectVec(direction, [-10.5, 0], 1e-12);
    expect(info.diagnostics.minInnerRect).toBeCloseTo(-0.25, 14);
    expect(info.diagnostics.dualValue).toBeCloseTo(-0.25, 14);
  });

  it('C4: projection branch, outputs compared (coefficients are not unique)', () => {
    const rows = [[1, 0], [-1, 0], [1, 1]];
    const { direction, info } = run(rows, { weights: [1, 1, 1], rho: 1 });
    expect(info.diagnostics.branch).toBe('projection');
    expectVec(direction, [0.3, 1.997056], 1e-6);
    expectVec(direction, [0.3, 0.8 * 1.5 * Math.sqrt(2) * 1 + 0.3], 1e-12);
    expect(inner(rows, direction)[1]).toBeCloseTo(-0.3, 12);
    expect(info.diagnostics.rectNorm).toBeCloseTo(1 / 3, 12);
    expect(info.diagnostics.minInnerRect).toBeCloseTo(0, 12);
  });

  it('C5: u_rect = 0 with μ ≠ 0 gives g_final = ν·κ·g_joint', () => {
    const { weights, direction, info } = run([[2, 0], [-1, 0]], { weights: [1, 4], rho: 1.5 });
    expectVec(weights, [0.3, 1.2], 1e-12);
    expectVec(direction, [-0.6, 0], 1e-12);
    expect(info.diagnostics.branch).toBe('projection');
    expect(info.diagnostics.rectNorm).toBeLessThanOrEqual(1e-12);
  });

  it('C6: μ = 0 takes the mean branch', () => {
    const { weights, direction, info } = run([[1, 0], [-1, 0]], { weights: [1, 4] });
    expect(info.diagnostics.branch).toBe('mean');
    expectVec(weights, [0.3, 1.2], 1e-12);
    expectVec(direction, [-0.9, 0], 1e-12);
  });

  it('C7: K = 1 gives κ·ω_0·g_0 for any ρ and ν', () => {
    for (const rho of [0, 0.5, 3]) {
      for (const nu of [0, 0.2, 1]) {
        const { weights, direction } = run([[3, 4]], { weights: [2], rho, nu });
        expectVec(weights, [3], 1e-14);
        expectVec(direction, [9, 12], 1e-14);
      }
    }
  });

  it('C8: identical rows give κ·g_joint exactly', () => {
    const { direction } = run([[1, 2], [1, 2]], { weights: [1, 4] });
    expectVec(direction, [7.5, 15], 1e-14);
  });

  it('C9: orthogonal equal norms, α* = (½, ½), σ = √34', () => {
    const { weights, direction, info } = run([[1, 0], [0, 1]], { weights: [1, 4] });
    expectVec(info.diagnostics.dualWeights!, [0.5, 0.5], 1e-15);
    const sigma = Math.sqrt(34);
    expect(sigma).toBeCloseTo(5.830952, 6);
    expectVec(weights, [0.8 * 0.75 * sigma + 0.3, 0.8 * 0.75 * sigma + 1.2], 1e-12);
    expectVec(weights, [3.798571, 4.698571], 1e-6);
    expectVec(direction, Array.from(weights), 0);
  });

  it('C10: all zero gives 0 and branch "zero" for any K and D', () => {
    for (const [K, D] of [[1, 1], [3, 4], [8, 2]] as const) {
      const rows = Array.from({ length: K }, () => new Array<number>(D).fill(0));
      const { weights, direction, info } = run(rows);
      expect(Array.from(direction)).toEqual(new Array<number>(D).fill(0));
      expect(Array.from(weights)).toEqual(new Array<number>(K).fill(0));
      expect(info.diagnostics.branch).toBe('zero');
      expect(info.diagnostics.energyRatio).toBeNull();
      expect(info.diagnostics.cosines.flat().every((c) => c === null)).toBe(true);
    }
  });
});

describe('came-grad: identity tests of came-grad.md §9', () => {
  const rowsArb = arbJacobian({ K: [1, 6], n: [1, 10] });
  const withW = rowsArb.chain((rows) => fc.tuple(fc.constant(rows), arbTaskWeights(rows.length)));

  it('ν = 1, κ = 1 → g_final = g_joint; ν = 1 → κ·g_joint', () => {
    fc.assert(fc.property(withW, fc.double({ min: 0.1, max: 5, noNaN: true }), ([rows, w], kappa) => {
      const joint = rows[0]!.map((_, d) => rows.reduce((s, g, i) => s + w[i]! * g[d]!, 0));
      expectVec(run(rows, { weights: w, nu: 1, kappa: 1 }).direction, joint, 1e-13);
      expectVec(run(rows, { weights: w, nu: 1, kappa }).direction, joint.map((x) => kappa * x), 1e-13);
    }), { seed: SEED, numRuns: 60 });
  });

  it('ν = 0 → ‖g_final‖ = κ‖g_joint‖ when u_rect ≠ 0; always ‖g_final‖ ≤ κ‖g_joint‖', () => {
    fc.assert(fc.property(withW, ([rows, w]) => {
      const joint = norm(rows[0]!.map((_, d) => rows.reduce((s, g, i) => s + w[i]! * g[d]!, 0)));
      const pure = run(rows, { weights: w, nu: 0 });
      if ((pure.info.diagnostics.rectNorm ?? 0) > 1e-6 * Math.max(...rows.map(norm))) {
        expect(Math.abs(norm(pure.direction) - 1.5 * joint)).toBeLessThanOrEqual(1e-12 * Math.max(1, 1.5 * joint));
      }
      const fused = run(rows, { weights: w });
      expect(norm(fused.direction)).toBeLessThanOrEqual(1.5 * joint * (1 + 1e-12) + 1e-300);
    }), { seed: SEED, numRuns: 80 });
  });

  it('ρ = 0 → u_rect = μ', () => {
    fc.assert(fc.property(rowsArb, (rows) => {
      const K = rows.length;
      const mu = rows[0]!.map((_, d) => rows.reduce((s, g) => s + g[d]!, 0) / K);
      const out = run(rows, { rho: 0, stages: { energize: false, fuse: false } });
      expectVec(out.direction, mu, 1e-13);
      expect(out.info.diagnostics.branch === 'mean' || out.info.diagnostics.branch === 'zero').toBe(true);
    }), { seed: SEED, numRuns: 50 });
  });

  it('ρ ≥ 1 → min_i ⟨g_i, u_rect⟩ ≥ −tol', () => {
    fc.assert(fc.property(rowsArb, fc.constantFrom(1, 1.5, 4), (rows, rho) => {
      assertNonConflicting(createAggregator('came-grad', { rho, stages: { energize: false, fuse: false } }), rows);
    }), { seed: SEED, numRuns: 60 });
  });

  it('the stage switches define the ablations (w/o S1: μ; w/o S2: no reset; w/o S3: ν = 0)', () => {
    const rows = [[-4, 1, 1], [6, 1, 1]];
    const noS3 = run(rows, { weights: [1, 4], stages: { fuse: false } }).weights;
    expectVec(noS3, Array.from(run(rows, { weights: [1, 4], nu: 0 }).weights), 1e-15);
    const noS2 = run(rows, { weights: [1, 4], stages: { energize: false, fuse: false } });
    expectVec(noS2.direction, [0.183503, 1.204124, 1.204124], 1e-6);
    const noS1 = run(rows, { weights: [1, 4], stages: { rectify: false, fuse: false } });
    expect(noS1.info.diagnostics.branch).toBe('mean');
    expectVec(noS1.direction, [1, 1, 1].map((x) => (x * 1.5 * 15 * Math.sqrt(2)) / Math.sqrt(3)), 1e-12);
  });
});

describe('came-grad: Gram route versus an explicit D-space computation', () => {
  it('reproduces u_rect, u_en and g_final in R^D from α*, and strong duality min_i⟨g_i,u_rect⟩ = F*', () => {
    fc.assert(fc.property(arbNonStationary({ K: [2, 8], n: [2, 12] }), fc.integer({ min: 0, max: 1000 }), (rows, salt) => {
      const K = rows.length;
      const D = rows[0]!.length;
      const w = Array.from({ length: K }, (_, i) => 0.5 + ((salt * (i + 3)) % 7) / 3);
      const out = run(rows, { weights: w });
      const diag = out.info.diagnostics;
      if (diag.branch !== 'regular') return;
      const alpha = diag.dualWeights!;
      const mu = Array.from({ length: D }, (_, d) => rows.reduce((s, g) => s + g[d]!, 0) / K);
      const ga = Array.from({ length: D }, (_, d) => rows.reduce((s, g, i) => s + alpha[i]! * g[d]!, 0));
      const uRect = mu.map((m, d) => m + (0.5 * norm(mu) / norm(ga)) * ga[d]!);
      const joint = Array.from({ length: D }, (_, d) => rows.reduce((s, g, i) => s + w[i]! * g[d]!, 0));
      const uEn = uRect.map((x) => (x * 1.5 * norm(joint)) / norm(uRect));
      const fin = uEn.map((x, d) => 0.8 * x + 0.2 * 1.5 * joint[d]!);
      expectVec(out.direction, fin, 1e-10);
      const F = dot(ga, mu) + 0.5 * norm(mu) * norm(ga);
      const minInner = Math.min(...inner(rows, uRect));
      const scale = Math.max(...rows.map((g) => dot(g, g)));
      expect(Math.abs(minInner - F)).toBeLessThanOrEqual(1e-10 * scale);
      expect(Math.abs(diag.dualValue! - F)).toBeLessThanOrEqual(1e-10 * scale);
      expect(diag.dualityGap!).toBeLessThanOrEqual(1e-10);
    }), { seed: SEED, numRuns: 100 });
  });
});

describe('came-grad: shared properties', () => {
  const agg = createAggregator('came-grad', OPTS);

  it('P1 structure and P8 determinism on random and special families (zero rows, identical, nearly parallel)', () => {
    fc.assert(fc.property(fc.oneof(arbJacobian(), arbSpecialJacobian().map((s) => s.rows)), (rows) => {
      assertFiniteStructure(agg, rows);
      assertDeterministicAndPure(agg, rows);
    }), { seed: SEED, numRuns: 120 });
  });

  it('P2 permutation equivariance with ω permuted along (weights compared: M is nonsingular here)', () => {
    fc.assert(fc.property(
      arbJacobian({ K: [1, 8], n: [10, 10] }).chain((rows) => fc.tuple(fc.constant(rows), arbPermutation(rows.length), arbTaskWeights(rows.length))),
      ([rows, perm, w]) => {
        assertPermutationEquivariant(agg, rows, perm, { ctx: { taskWeights: w }, tol: 1e-9, compareWeights: true });
      },
    ), { seed: SEED, numRuns: 100 });
  });

  it('P3 scale equivariance at s ∈ {1e-8, 1e-6, 1e-3, 1, 1e3, 1e6, −1, −1e3} (1e-12 for K ≤ 2, 1e-9 above) and s = 0', () => {
    for (let seed = 0; seed < 24; seed++) {
      const K = 1 + (seed % 8);
      const rows = randomJacobian(seed, K, 1 + (seed % 5) * 3);
      const ctx = { taskWeights: Array.from({ length: K }, (_, i) => 1 + i) };
      for (const s of [...EQUIVARIANCE_SCALES, 0]) {
        assertScaleEquivariant(agg, rows, s, { ctx, tol: K <= 2 ? 1e-12 : 1e-9, compareWeights: true });
      }
    }
  });

  it('P3 bitwise-identical weights for s = 2^k, k ∈ {−30, −7, 5, 20}', () => {
    for (let seed = 0; seed < 16; seed++) {
      const K = 1 + (seed % 8);
      const rows = randomJacobian(seed + 100, K, 7);
      for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(agg, rows, s, { ctx: { taskWeights: new Array<number>(K).fill(1) } });
    }
  });

  it('P6: non-zero output on non-stationary inputs (ω > 0, ν = 0.2 ≠ ½)', () => {
    fc.assert(fc.property(arbNonStationary(), (rows) => assertNonZeroWhenNotStationary(agg, rows)), { seed: SEED, numRuns: 80 });
  });

  it('P4 does not hold: C2 conflicts with task 0 after fusion', () => {
    expect(inner([[1, 0], [-2, 2]], run([[1, 0], [-2, 2]], { weights: [1, 4] }).direction)[0]).toBeLessThan(0);
  });
});

describe('came-grad: options and inputs', () => {
  it('validates every option at creation, naming it', () => {
    expect(() => createAggregator('came-grad', { rho: -1 })).toThrow(/`came-grad.rho` should be a finite number ≥ 0. Found -1/);
    expect(() => createAggregator('came-grad', { kappa: 0 })).toThrow(/`came-grad.kappa` should be a finite number > 0/);
    expect(() => createAggregator('came-grad', { nu: 1.5 })).toThrow(/`came-grad.nu`/);
    expect(() => createAggregator('came-grad', { epsRel: -1e-3 })).toThrow(/`came-grad.epsRel`/);
    expect(() => createAggregator('came-grad', { zeroTol: 0 })).toThrow(/`came-grad.zeroTol`/);
    expect(() => createAggregator('came-grad', { zeroTol: 1e-2 })).toThrow(/`came-grad.zeroTol`/);
    expect(() => createAggregator('came-grad', { rho: Number.NaN })).toThrow(InvalidOptionError);
    expect(() => createAggregator('came-grad', { weights: [1, -4] })).toThrow(/`came-grad.weights\[1\]` should be a finite number ≥ 0/);
    expect(() => createAggregator('came-grad', { stages: { fuse: 'yes' as unknown as boolean } })).toThrow(/stages.fuse/);
    expect(() => createAggregator('came-grad', { kapa: 1 } as never)).toThrow(/`came-grad.kapa` should be one of the known options/);
  });

  it('rejects ω of the wrong length, non-finite input, ragged rows and K = 0 with typed errors', () => {
    const agg = createAggregator('came-grad', { weights: [1, 4] });
    expect(() => agg.aggregate([[1, 2, 3]])).toThrow(/`came-grad.weights` should be length 1/);
    expect(() => agg.aggregate([[1, 2], [3, Number.NaN]])).toThrow(NonFiniteError);
    expect(() => agg.aggregate([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => agg.aggregate([])).toThrow(ShapeError);
    expect(() => agg.aggregate([[1], [2]], { taskWeights: [1, Number.POSITIVE_INFINITY] })).toThrow(/`ctx.taskWeights` should be finite at index 1/);
  });

  it('uses ctx.taskWeights over the configured ω, and the Gram entry matches aggregate', () => {
    const agg = createAggregator('came-grad', { weights: [1, 1] });
    const a = agg.aggregate([[-4, 1, 1], [6, 1, 1]], { taskWeights: [1, 4] });
    const b = createAggregator('came-grad', { weights: [1, 4] }).weights([[18, -22], [-22, 38]]);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });

  it('epsRel > 0 shrinks ‖u_en‖ below κ‖g_joint‖ and stays scale-invariant', () => {
    const w = createWeighting('came-grad', { epsRel: 0.1, nu: 0, weights: [1, 4] });
    const agg = createAggregator('came-grad', { epsRel: 0.1, nu: 0, weights: [1, 4] });
    const out = agg.aggregate([[-4, 1, 1], [6, 1, 1]]);
    expect(norm(out.direction)).toBeLessThan(1.5 * 15 * Math.sqrt(2));
    assertScaleEquivariant(agg, [[-4, 1, 1], [6, 1, 1]], 1e6, { tol: 1e-12, compareWeights: true });
    expect(w.toString()).toContain('"epsRel":0.1');
  });
});

describe('came-grad: float32 smoke test', () => {
  it('float32 rows give bitwise the float64 result of the same values, and rtol 1e-5 of the unrounded rows', () => {
    for (let seed = 0; seed < 8; seed++) {
      const K = 2 + (seed % 4);
      const rows = randomJacobian(seed + 500, K, 64);
      const f32 = rows.map((r) => Float32Array.from(r));
      const f64 = f32.map((r) => Float64Array.from(r));
      const agg = createAggregator('came-grad', { ...OPTS, weights: Array.from({ length: K }, (_, i) => 1 + i) });
      const a = agg.aggregate(f32);
      const b = agg.aggregate(f64);
      expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
      expect(Array.from(a.direction)).toEqual(Array.from(b.direction));
      const exact = agg.aggregate(rows);
      expect(distance(a.direction, exact.direction)).toBeLessThanOrEqual(1e-5 * norm(exact.direction));
    }
  });
});

describe('came-grad: P3 over the shared scale family (0, 1e-10 … 1e15, and negatives)', () => {
  it('A(sG) = s·A(G)', () => {
    const agg = createAggregator('came-grad');
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 12] }), arbScale(), (rows, s) => {
      assertScaleEquivariant(agg, rows, s, { ctx: { taskWeights: new Array<number>(rows.length).fill(1) }, tol: rows.length <= 2 ? 1e-12 : 1e-9, compareWeights: true });
    }), { seed: 2718, numRuns: 150 });
  });
});
