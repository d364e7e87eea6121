import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbJacobian } from '../testing/arbitraries';
import { randomJacobian, randomStronglyStationary } from '../testing/random-matrix';
import type { Matrix } from '../types';
import { solveCAGradDual } from './cagrad-dual';
import { projectDualCone } from './dual-cone';
import { gramian } from './gramian';
import { minNormPoint } from './min-norm';
import { normalizeGramian } from './normalize';
import { symEigen } from './sym-eigen';

const SEED = 20260526;

function at(M: Matrix, i: number, j: number): number {
  return M.data[i * M.rows + j] as number;
}
function mv(M: Matrix, x: ArrayLike<number>): number[] {
  return Array.from({ length: M.rows }, (_, i) => {
    let s = 0;
    for (let j = 0; j < M.rows; j++) s += at(M, i, j) * (x[j] as number);
    return s;
  });
}
function quad(M: Matrix, x: ArrayLike<number>): number {
  return mv(M, x).reduce((s, v, i) => s + v * (x[i] as number), 0);
}
function normalized(rows: number[][]): Matrix {
  return normalizeGramian(gramian(rows)).gram;
}
function cOf(M: Matrix, rho: number): number {
  const K = M.rows;
  return rho * Math.sqrt(Math.max(0, quad(M, new Array<number>(K).fill(1 / K))));
}
/** Reference: mirror descent (exponentiated gradient) on the simplex, 4 000 steps; independent of the solver. */
function referenceDualValue(M: Matrix, c: number): number {
  const K = M.rows;
  const p = mv(M, new Array<number>(K).fill(1 / K));
  let a = new Array<number>(K).fill(1 / K);
  const F = (x: number[]) => x.reduce((s, v, i) => s + v * (p[i] as number), 0) + c * Math.sqrt(Math.max(0, quad(M, x)));
  let best = F(a);
  for (let t = 1; t <= 4000; t++) {
    const q = Math.sqrt(Math.max(1e-300, quad(M, a)));
    const Ma = mv(M, a);
    const g = p.map((pi, i) => pi + (c / q) * (Ma[i] as number));
    const eta = 2 / Math.sqrt(t);
    const w = a.map((ai, i) => ai * Math.exp(-eta * (g[i] as number)));
    const z = w.reduce((s, v) => s + v, 0);
    a = w.map((v) => v / z);
    best = Math.min(best, F(a));
  }
  return best;
}

describe('solveCAGradDual', () => {
  it('certifies a duality gap ≤ 1e-10 for K = 1..8 and random ranks', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 12] }), fc.constantFrom(0.1, 0.5, 1, 2), (rows, rho) => {
      const M = normalized(rows);
      const c = cOf(M, rho);
      if (!(c > 1e-7)) return;
      const r = solveCAGradDual(M, c, 1e-7);
      if (r.method === 'stationary') return;
      expect(r.gap).toBeGreaterThanOrEqual(-1e-12);
      expect(r.gap).toBeLessThanOrEqual(1e-10);
      expect(r.alpha.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
      r.alpha.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
    }), { seed: SEED, numRuns: 200 });
  });

  it('is never beaten by an independent mirror-descent reference (K = 3..6)', () => {
    for (let s = 0; s < 8; s++) {
      const K = 3 + (s % 4);
      const M = normalized(randomJacobian(s + 11, K, 6));
      const c = cOf(M, 0.5);
      const ours = solveCAGradDual(M, c, 1e-7).value;
      const ref = referenceDualValue(M, c);
      expect(ours).toBeLessThanOrEqual(ref + 1e-12);
      expect(ours).toBeGreaterThanOrEqual(ref - 1e-3 * Math.max(1, Math.abs(ref)));
    }
  });

  it('K = 2 closed form matches a fine 1-D search', () => {
    for (let s = 0; s < 10; s++) {
      const M = normalized(randomJacobian(s, 2, 3));
      const c = cOf(M, 0.5);
      const r = solveCAGradDual(M, c, 1e-7);
      let best = Infinity;
      const p = mv(M, [0.5, 0.5]);
      for (let k = 0; k <= 20000; k++) {
        const a = k / 20000;
        const x = [a, 1 - a];
        best = Math.min(best, a * (p[0] as number) + (1 - a) * (p[1] as number) + c * Math.sqrt(Math.max(0, quad(M, x))));
      }
      expect(r.value).toBeLessThanOrEqual(best + 1e-14);
      expect(r.value).toBeGreaterThan(best - 1e-6);
    }
  });

  it('uses Frank–Wolfe plus an exact polish beyond K = 10 and still certifies the gap', () => {
    for (const K of [11, 13]) {
      const M = normalized(randomJacobian(K, K, 2 * K));
      const r = solveCAGradDual(M, cOf(M, 0.5), 1e-7);
      expect(r.gap).toBeLessThanOrEqual(1e-10);
    }
  });

  it('reports the stationary case (0 in the convex hull, ρ ≥ 1) with the min-norm weights', () => {
    const M = normalized(randomStronglyStationary(3, 4, 6));
    const r = solveCAGradDual(M, cOf(M, 2), 1e-7);
    expect(r.method).toBe('stationary');
    expect(r.q).toBeLessThanOrEqual(1e-7);
  });
});

describe('minNormPoint', () => {
  it('satisfies the KKT certificate w ≥ 0, Σw = 1, Mw − (wᵀMw)·1 ≥ −tol (torchjd test_mgda)', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 12] }), (rows) => {
      const M = gramian(rows);
      const r = minNormPoint(M);
      const tr = Array.from({ length: M.rows }, (_, i) => at(M, i, i)).reduce((s, v) => s + v, 0) / M.rows;
      expect(r.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      const Mw = mv(M, r.weights);
      const wMw = quad(M, r.weights);
      Mw.forEach((v) => expect(v - wMw).toBeGreaterThanOrEqual(-1e-9 * tr));
      expect(r.normSq).toBeCloseTo(wMw, 10);
    }), { seed: SEED, numRuns: 200 });
  });

  it('gives the MGDA anchor (0.6, 0.4) on J_base and the exact vertex where Sener clamps to 0.999', () => {
    expect(Array.from(minNormPoint(gramian([[-4, 1, 1], [6, 1, 1]])).weights)).toEqual([0.6, 0.4]);
    expect(Array.from(minNormPoint(gramian([[1, 0], [3, 1]])).weights)).toEqual([1, 0]);
  });

  it('finds 0 for stationary inputs and certifies K = 14', () => {
    const st = minNormPoint(gramian(randomStronglyStationary(5, 5, 7)));
    expect(st.normSq).toBeLessThanOrEqual(1e-20);
    const big = gramian(randomJacobian(9, 14, 30));
    const r = minNormPoint(big);
    const tr = Array.from({ length: 14 }, (_, i) => at(big, i, i)).reduce((s, v) => s + v, 0) / 14;
    const Mw = mv(big, r.weights);
    const wMw = quad(big, r.weights);
    Mw.forEach((v) => expect(v - wMw).toBeGreaterThanOrEqual(-1e-10 * tr));
  });
});

describe('projectDualCone', () => {
  it('satisfies β ≥ 0, M(p+β) ≥ 0 and complementarity, including rank-deficient M', () => {
    fc.assert(fc.property(arbJacobian({ K: [1, 8], n: [1, 6] }), fc.integer({ min: 0, max: 7 }), (rows, which) => {
      const M = normalized(rows);
      const K = M.rows;
      const p = new Array<number>(K).fill(0);
      p[which % K] = 1;
      const { beta, coefficients } = projectDualCone(M, p);
      const g = mv(M, coefficients);
      beta.forEach((b, i) => {
        expect(b).toBeGreaterThanOrEqual(0);
        expect(g[i]).toBeGreaterThanOrEqual(-1e-9);
        if (b > 0) expect(Math.abs(g[i] as number)).toBeLessThanOrEqual(1e-9);
      });
    }), { seed: SEED, numRuns: 200 });
  });

  it('handles a task whose gradient is 1e-9 of the others (a vanished loss): KKT holds row by row, relative to each row', () => {
    // Normalised M of a real xpronet step (tasks lm, proto_img, proto_txt, cls) after the prototype
    // losses fell to ~3e-8; on M itself the solver could not certify any solution.
    const M = { rows: 4, cols: 4, data: Float64Array.from([
      2.616784730356585, 1.3073146680785098e-10, -0.00041645818635451567, -0.007986360876456981,
      1.3073146680785098e-10, 3.7859674985146615e-17, -1.5425507709108643e-10, -6.632121286424546e-10,
      -0.00041645818635451567, -1.5425507709108643e-10, 0.0028483495816847976, 0,
      -0.007986360876456981, -6.632121286424546e-10, 0, 1.3803669200617303,
    ]) };
    const p = [0.25, 0.25, 0.25, 0.25];
    const { beta, coefficients } = projectDualCone(M, p);
    const g = mv(M, coefficients);
    const norm = Math.sqrt(quad(M, coefficients));
    beta.forEach((b, i) => {
      const rowNorm = Math.sqrt(M.data[i * 5] as number);
      expect(b).toBeGreaterThanOrEqual(0);
      expect((g[i] as number) / (rowNorm * norm)).toBeGreaterThanOrEqual(-1e-9);
      if (b > 0) expect(Math.abs(g[i] as number) / (rowNorm * norm)).toBeLessThanOrEqual(1e-9);
    });
    // The tiny task's constraint is active: its coefficient is large, its contribution to the direction is not.
    expect(beta[1]).toBeGreaterThan(1e5);
  });

  it('certifies a solution when the rows differ in scale by up to 1e9 (KKT to 1e-9 of the largest row)', () => {
    fc.assert(fc.property(arbJacobian({ K: [2, 6], n: [2, 6] }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 6 }), (rows, exps) => {
      const scaled = rows.map((row, i) => Array.from(row, (v) => v * 10 ** -(exps[i] as number)));
      const M = gramian(scaled);
      const K = M.rows;
      const p = new Array<number>(K).fill(1 / K);
      const { beta, coefficients } = projectDualCone(M, p);
      // ⟨gᵢ, x⟩ from the cosines and the contributions cⱼ‖gⱼ‖, so that the check itself does not lose
      // the small rows to rounding.
      const norms = Array.from({ length: K }, (_, i) => Math.sqrt(M.data[i * (K + 1)] as number));
      const cos = (i: number, j: number): number => (norms[i] === 0 || norms[j] === 0 ? 0 : (M.data[i * K + j] as number) / ((norms[i] as number) * (norms[j] as number)));
      const lengthOf = (parts: readonly number[]): number => {
        let sq = 0;
        for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) sq += (parts[i] as number) * cos(i, j) * (parts[j] as number);
        return Math.sqrt(Math.max(sq, 0));
      };
      const parts = Array.from(coefficients, (c, j) => c * (norms[j] as number));
      const scale = Math.max(...norms) * Math.max(lengthOf(parts), lengthOf(p.map((v, j) => v * (norms[j] as number))));
      beta.forEach((b, i) => {
        let inner = 0;
        for (let j = 0; j < K; j++) inner += cos(i, j) * (parts[j] as number);
        inner *= norms[i] as number;
        expect(b).toBeGreaterThanOrEqual(0);
        expect(inner).toBeGreaterThanOrEqual(-1e-9 * scale);
        if (b > 0) expect(Math.abs(inner)).toBeLessThanOrEqual(1e-9 * scale);
      });
    }), { seed: SEED, numRuns: 300 });
  });

  it('projects the mean of J_base to DualProj weights (11/18, 1/2)', () => {
    const M = gramian([[-4, 1, 1], [6, 1, 1]]);
    const { coefficients } = projectDualCone(M, [0.5, 0.5]);
    expect(coefficients[0]).toBeCloseTo(11 / 18, 14);
    expect(coefficients[1]).toBeCloseTo(0.5, 14);
  });
});

describe('symEigen', () => {
  it('reconstructs A = V diag(λ) Vᵀ with orthonormal V and ascending eigenvalues', () => {
    for (const K of [1, 2, 3, 5, 8]) {
      const A = gramian(randomJacobian(K, K, K + 2));
      const { values, vectors } = symEigen(A);
      for (let i = 1; i < K; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] as number);
      const scale = Math.max(...Array.from(A.data, Math.abs));
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) {
          let rec = 0, orth = 0;
          for (let k = 0; k < K; k++) {
            rec += at(vectors, i, k) * (values[k] as number) * at(vectors, j, k);
            orth += at(vectors, k, i) * at(vectors, k, j);
          }
          expect(Math.abs(rec - at(A, i, j))).toBeLessThanOrEqual(1e-13 * scale);
          expect(Math.abs(orth - (i === j ? 1 : 0))).toBeLessThanOrEqual(1e-13);
        }
      }
    }
  });

  it('gives the eigenvalues of J_base Gram: 28 ± √(100 + 484)', () => {
    const { values } = symEigen(gramian([[-4, 1, 1], [6, 1, 1]]));
    expect(values[0]).toBeCloseTo(28 - Math.sqrt(584), 12);
    expect(values[1]).toBeCloseTo(28 + Math.sqrt(584), 12);
  });
});
