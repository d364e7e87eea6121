import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian, arbSpecialJacobian, EQUIVARIANCE_SCALES, POWER_OF_TWO_SCALES } from '../testing/arbitraries';
import {
  assertDeterministicAndPure, assertFiniteStructure, assertPermutationEquivariant, assertScaleEquivariant,
  assertWeightsBitwiseInvariant, distance, norm,
} from '../testing/asserts';
import { toGramian } from '../gram/to-gramian';
import { gramianWeighted } from './aggregator';
import { createPCGrad, PCGRAD_DEFAULTS } from './pcgrad';
import { createUPGrad } from './upgrad';

const J_BASE = [[-4, 1, 1], [6, 1, 1]];
const FC = { seed: 20260527, numRuns: 60 };

/** Algorithm 1 of Yu et al. in D-space, with the project's conventions (skip j = i and zero g_j). */
function pcgradInDSpace(rows: number[][], orders: readonly (readonly number[])[]): number[] {
  const D = rows[0]!.length;
  const dot = (a: number[], b: number[]) => a.reduce((s, x, d) => s + x * b[d]!, 0);
  const out = new Array<number>(D).fill(0);
  rows.forEach((gi, i) => {
    const p = [...gi];
    for (const j of orders[i]!) {
      const gj = rows[j]!;
      const nj = dot(gj, gj);
      if (j === i || nj === 0) continue;
      const inner = dot(p, gj);
      if (inner < 0) for (let d = 0; d < D; d++) p[d] = p[d]! - (inner / nj) * gj[d]!;
    }
    for (let d = 0; d < D; d++) out[d] = out[d]! + p[d]!;
  });
  return out;
}

describe('pcgrad', () => {
  it('matches the J_base anchor exactly (mtl-methods.md §7)', () => {
    const r = gramianWeighted(createPCGrad()).aggregate(J_BASE);
    expect(r.weights[0]).toBeCloseTo(20 / 9, 14);
    expect(r.weights[1]).toBeCloseTo(30 / 19, 14);
    [100 / 171, 650 / 171, 650 / 171].forEach((v, d) => expect(r.direction[d]).toBeCloseTo(v, 13));
    const mean = gramianWeighted(createPCGrad({ reduction: 'mean' })).aggregate(J_BASE);
    [0.292398, 1.900585, 1.900585].forEach((v, d) => expect(mean.direction[d]).toBeCloseTo(v, 6));
    expect([...mean.weights].map((w) => +w.toFixed(6))).toEqual([1.111111, 0.789474]);
    // For K = 2 the order is irrelevant.
    for (const order of ['reverse', { random: 3 }, [[1, 0], [0, 1]]] as const) {
      const w = createPCGrad({ order }).weigh(toGramian([[18, -22], [-22, 38]])).weights;
      expect(distance(w, r.weights)).toBeLessThan(1e-15);
    }
  });

  it('closed forms (P7): identical rows give K·g, orthogonal rows their sum', () => {
    const g = [1, -2, 3];
    const id = gramianWeighted(createPCGrad()).aggregate([g, g, g]);
    expect([...id.direction]).toEqual([3, -6, 9]);
    const orth = gramianWeighted(createPCGrad()).aggregate([[3, 0, 0], [0, 0.5, 0]]);
    expect([...orth.direction]).toEqual([3, 0.5, 0]);
    expect(orth.info.projections).toBe(0);
  });

  it('equals UPGrad with p = (1, 1) for K = 2 (torchjd equivalence test)', () => {
    fc.assert(fc.property(arbJacobian({ K: 2, n: [1, 10] }), (rows) => {
      const a = gramianWeighted(createPCGrad()).aggregate(rows).direction;
      const b = gramianWeighted(createUPGrad({ pref: [1, 1] })).aggregate(rows).direction;
      expect(distance(a, b)).toBeLessThanOrEqual(1e-9 * Math.max(1, norm(b), ...rows.map(norm)));
    }), FC);
  });

  it('agrees with the D-space algorithm for every order kind, and echoes the orders', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 6], n: [1, 12] }), fc.integer({ min: 0, max: 1000 }), (rows, seed) => {
      for (const order of ['identity', 'reverse', { random: seed }] as const) {
        const r = gramianWeighted(createPCGrad({ order })).aggregate(rows, { step: seed });
        const ref = pcgradInDSpace(rows, r.info.orders);
        expect(distance(r.direction, ref)).toBeLessThanOrEqual(1e-10 * Math.max(norm(ref), ...rows.map(norm)));
      }
    }), FC);
  });

  it('skips zero rows and self-projection; orders are explicit, reverse or seeded per step', () => {
    const rows = [[1, 0], [0, 0], [-1, 1]];
    const r = gramianWeighted(createPCGrad()).aggregate(rows);
    // g0 loses its component along g2 (⟨g0, g2⟩ = −1): p0 = (½, ½); p2 = (0, 1) after g0; p1 = 0.
    expect([...r.direction]).toEqual([0.5, 1.5]);
    expect(r.info.orders).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
    expect(createPCGrad({ order: 'reverse' }).weigh(toGramian([[1, 0, 0], [0, 1, 0], [0, 0, 1]])).info.orders[0]).toEqual([2, 1, 0]);
    const random = createPCGrad({ order: { random: 9 } });
    const gram = toGramian([[1, -0.5, 0.2], [-0.5, 1, -0.3], [0.2, -0.3, 1]]);
    expect(random.weigh(gram, { step: 4 }).info.orders).toEqual(random.weigh(gram, { step: 4 }).info.orders);
    const draws = new Set(Array.from({ length: 8 }, (_, s) => JSON.stringify(random.weigh(gram, { step: s }).info.orders)));
    expect(draws.size).toBeGreaterThan(1);
  });

  it('is permutation-equivariant once the explicit order is permuted consistently (P2)', () => {
    fc.assert(fc.property(arbJacobian({ K: 4, n: [1, 8] }), fc.integer({ min: 0, max: 1e6 }), (rows, seed) => {
      const orders = createPCGrad({ order: { random: seed } }).weigh(toGramian(gramOf(rows))).info.orders;
      const perm = [2, 0, 3, 1];
      const inv = perm.map((_, k) => perm.indexOf(k));
      const permutedOrders = perm.map((p) => orders[p]!.map((j) => inv[j]!));
      const a = gramianWeighted(createPCGrad({ order: orders })).aggregate(rows).direction;
      const b = gramianWeighted(createPCGrad({ order: permutedOrders })).aggregate(perm.map((p) => rows[p]!)).direction;
      expect(distance(a, b)).toBeLessThanOrEqual(1e-10 * Math.max(norm(a), ...rows.map(norm)));
    }), FC);
  });

  it('properties: P1, P3 (closed form, 1e-10), bitwise 2^k invariance, P8', () => {
    const agg = gramianWeighted(createPCGrad());
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 20] }), (rows) => {
      assertFiniteStructure(agg, rows);
      for (const s of EQUIVARIANCE_SCALES) assertScaleEquivariant(agg, rows, s, { tol: 1e-10, compareWeights: true });
      assertScaleEquivariant(agg, rows, 0);
      for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(agg, rows, s);
      assertDeterministicAndPure(agg, rows);
    }), FC);
    fc.assert(fc.property(arbSpecialJacobian(), ({ rows }) => assertFiniteStructure(agg, rows)), FC);
  });

  // Not asserted, with reasons (mtl-methods.md §6):
  // P2 with a fixed order: projecting in index order makes the result depend on the labelling for K ≥ 3 (tested above with permuted orders instead).
  // P4: for K ≥ 3 the sum of projected gradients can still conflict with a task (tianheyu927/PCGrad issue 9).
  // P5: whether a projection fires depends on the sign of ⟨p_i, g_j⟩, which mixing row scales changes.
  // P6: nothing prevents the projected gradients from cancelling for K ≥ 3.
  it('P2 fails for a fixed order when K = 3 (why it is not claimed)', () => {
    const rows = [[1, 0], [-1, 0.2], [-0.3, -1]];
    const agg = gramianWeighted(createPCGrad());
    expect(() => assertPermutationEquivariant(agg, rows, [1, 0, 2])).toThrow(/P2/);
  });

  it('validates options at creation and round-trips its config', () => {
    expect(PCGRAD_DEFAULTS).toEqual({ order: 'identity', reduction: 'sum' });
    expect(Object.isFrozen(PCGRAD_DEFAULTS)).toBe(true);
    expect(() => createPCGrad({ reduction: 'max' as 'sum' })).toThrow(/`pcgrad.reduction` should be one of "sum", "mean"/);
    expect(() => createPCGrad({ order: [[0, 1], [1, 1]] })).toThrow(/`pcgrad.order\[1\]` should be a permutation of 0…1/);
    expect(() => createPCGrad({ order: { random: Number.NaN } })).toThrow(/`pcgrad.order.random` should be a finite number/);
    expect(() => createPCGrad({ order: 'shuffle' as 'identity' })).toThrow(/`pcgrad.order` should be/);
    expect(() => createPCGrad({ order: [[0, 1], [1, 0]] }).weigh(toGramian([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))).toThrow(/`pcgrad.order` should be K = 3 permutations/);
    for (const options of [{}, { order: { random: 5 }, reduction: 'mean' }, { order: [[1, 0], [0, 1]] }] as const) {
      const w = createPCGrad(options);
      const again = createPCGrad(w.toConfig().options);
      expect(again.toConfig()).toEqual(w.toConfig());
      expect(w.toConfig().id).toBe('pcgrad');
    }
  });

  it('float32 rows (the tfjs path) agree with float64 rows to 1e-5 relative', () => {
    const rows = [[-0.4, 0.1, 0.3], [0.6, 0.1, 0.1], [0.05, -0.7, 0.2]];
    const agg32 = gramianWeighted(createPCGrad());
    const d64 = agg32.aggregate(rows).direction;
    const d32 = agg32.aggregate(rows.map((r) => Float32Array.from(r))).direction;
    const ref = Math.max(...Array.from(d64, Math.abs));
    d64.forEach((v, d) => expect(Math.abs(d32[d]! - v)).toBeLessThanOrEqual(1e-5 * ref));
  });
});

function gramOf(rows: number[][]): number[][] {
  return rows.map((a) => rows.map((b) => a.reduce((s, x, d) => s + x * b[d]!, 0)));
}
