import { SolverError } from '../errors';
import type { Matrix } from '../types';
import { matVec } from './kspace';
import { choleskySolve, choleskySubset } from './subset-solve';

/** The projection of Gᵀp onto the dual cone C = {x : Gx ≥ 0}, in K-space. */
export interface DualConeProjection {
  /** β = argmin_{β ≥ 0} ½βᵀMβ + βᵀ(Mp). Unique only when M is nonsingular. */
  readonly beta: Float64Array;
  /** p + β: the projection is π_C(Gᵀp) = Gᵀ(p + β) (always unique as a vector in R^D). */
  readonly coefficients: Float64Array;
  /** Lawson–Hanson outer iterations (or 2^K for the enumeration fallback). */
  readonly iterations: number;
}

/**
 * Projects Gᵀp onto the dual cone {x : Gx ≥ 0} using only M = GGᵀ: β solves the non-negative least
 * squares problem min_{β≥0} ½βᵀMβ + βᵀMp, whose KKT conditions are β ≥ 0, M(p+β) ≥ 0,
 * β ⊙ M(p+β) = 0 (came-grad.md §3, used by the CAGrad/CAME-Grad degenerate branch, UPGrad and
 * DualProj). Lawson–Hanson active set in Gram form, which is exact (finite) and keeps the passive set
 * linearly independent, so a rank-deficient M is fine. The tolerance is relative,
 * 1e-12·sqrt(max_i M_ii · pᵀMp), so the result is scale-invariant.
 *
 * When the KKT certificate fails on M, the same problem is solved on the unit-diagonal (cosine)
 * matrix DMD, D = diag(1/‖gᵢ‖), for β' = β/D: the KKT conditions are the same row by row, and a
 * task whose gradient is many orders of magnitude smaller than the others' (a loss that has nearly
 * vanished), whose constraint drowns in the rounding of the large rows of M, is then as well
 * conditioned as any other. A zero row has the constraint 0 ≥ 0 and keeps βᵢ = 0. Then support
 * enumeration (K ≤ 12) on either form, then `SolverError`.
 */
export function projectDualCone(gram: Matrix, p: ArrayLike<number>): DualConeProjection {
  const K = gram.rows;
  const M = gram.data;
  if (p.length !== K) throw new SolverError(`projectDualCone: p should have length ${K}`, 0, p.length);
  const Mp = matVec(M, K, p, new Float64Array(K));
  let pMp = 0;
  for (let i = 0; i < K; i++) pMp += (p[i] as number) * (Mp[i] as number);
  const plain = plainForm(M, K, Mp, pMp);
  let iterations = 0;
  const forms = [plain, () => scaledForm(M, K, Mp, pMp)];
  const resolved: NnlsForm[] = [];
  for (const form of forms) {
    const f = typeof form === 'function' ? form() : form;
    resolved.push(f);
    const lh = lawsonHanson(f.S, K, f.b, f.tol);
    iterations += lh?.iterations ?? 0;
    if (lh !== null && certified(f.S, K, f.b, lh.beta, f.tol)) return output(p, f.d, lh.beta, lh.iterations);
  }
  if (K <= 12) {
    for (const f of resolved) {
      const beta = enumerate(f.S, K, f.b, f.tol);
      if (beta !== null) return output(p, f.d, beta, 1 << K);
    }
  }
  throw new SolverError('projectDualCone (KKT certificate failed)', iterations, Number.NaN);
}

/** min_{β'≥0} ½β'ᵀSβ' + β'ᵀb with β = d ⊙ β', and the stopping tolerance of that form. */
interface NnlsForm {
  readonly S: Float64Array;
  readonly b: Float64Array;
  readonly d: Float64Array;
  readonly tol: number;
}

function plainForm(M: Float64Array, K: number, Mp: Float64Array, pMp: number): NnlsForm {
  let maxDiag = 0;
  for (let i = 0; i < K; i++) maxDiag = Math.max(maxDiag, M[i * (K + 1)] as number);
  return { S: M, b: Mp, d: new Float64Array(K).fill(1), tol: 1e-12 * Math.sqrt(maxDiag * Math.max(0, pMp)) };
}

function scaledForm(M: Float64Array, K: number, Mp: Float64Array, pMp: number): NnlsForm {
  const d = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const mii = M[i * (K + 1)] as number;
    d[i] = mii > 0 ? 1 / Math.sqrt(mii) : 0;
  }
  const S = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) S[i * K + j] = (d[i] as number) * (M[i * K + j] as number) * (d[j] as number);
  return { S, b: Mp.map((v, i) => (d[i] as number) * v), d, tol: 1e-12 * Math.sqrt(Math.max(0, pMp)) };
}

function output(p: ArrayLike<number>, d: Float64Array, scaledBeta: Float64Array, iterations: number): DualConeProjection {
  const beta = scaledBeta.map((b, i) => b * (d[i] as number));
  const coefficients = new Float64Array(beta.length);
  for (let i = 0; i < beta.length; i++) coefficients[i] = (p[i] as number) + (beta[i] as number);
  return { beta, coefficients, iterations };
}

/** KKT check with a 100× looser slack than the solver's own stopping rule. */
function certified(M: Float64Array, K: number, b: Float64Array, beta: Float64Array, tol: number): boolean {
  const g = matVec(M, K, beta, new Float64Array(K));
  for (let i = 0; i < K; i++) {
    const gi = (g[i] as number) + (b[i] as number);
    if (gi < -100 * tol - 1e-300) return false;
    if ((beta[i] as number) > 0 && Math.abs(gi) > 100 * tol + 1e-300) return false;
  }
  return true;
}

function lawsonHanson(M: Float64Array, K: number, b: Float64Array, tol: number): { beta: Float64Array; iterations: number } | null {
  const beta = new Float64Array(K);
  const z = new Float64Array(K);
  const passive = new Uint8Array(K);
  const excluded = new Uint8Array(K);
  const idx = new Int32Array(K);
  const L = new Float64Array(K * K);
  const rhs = new Float64Array(K);
  const sol = new Float64Array(K);
  const g = new Float64Array(K);
  const maxIter = 3 * K + 10;
  for (let outer = 0; outer < maxIter; outer++) {
    // Gradient M(β) + b; Lawson–Hanson adds the most negative one.
    matVec(M, K, beta, g);
    let j = -1, most = -tol;
    for (let i = 0; i < K; i++) {
      if (passive[i] || excluded[i]) continue;
      const gi = (g[i] as number) + (b[i] as number);
      if (gi < most) { most = gi; j = i; }
    }
    if (j < 0) return { beta, iterations: outer };
    passive[j] = 1;
    for (let inner = 0; inner <= K; inner++) {
      let n = 0;
      for (let i = 0; i < K; i++) if (passive[i]) idx[n++] = i;
      if (!choleskySubset(M, K, idx, n, L)) {
        // j is numerically in the span of the passive set: its column cannot lower the objective.
        passive[j] = 0;
        excluded[j] = 1;
        break;
      }
      for (let a = 0; a < n; a++) rhs[a] = -(b[idx[a] as number] as number);
      choleskySolve(L, n, rhs, sol);
      z.fill(0);
      let allPositive = true;
      for (let a = 0; a < n; a++) {
        z[idx[a] as number] = sol[a] as number;
        if (!((sol[a] as number) > 0)) allPositive = false;
      }
      if (allPositive) {
        beta.set(z);
        break;
      }
      // Step from β toward z until the first passive coordinate hits 0; that one leaves.
      let step = 1, leaving = -1;
      for (let a = 0; a < n; a++) {
        const i = idx[a] as number;
        const zi = z[i] as number, bi = beta[i] as number;
        if (zi <= 0) {
          const t = bi / (bi - zi);
          if (leaving < 0 || t < step) { step = t; leaving = i; }
        }
      }
      // The entering column cannot move at all: exclude it rather than cycle.
      if (leaving === j && step === 0) excluded[j] = 1;
      for (let a = 0; a < n; a++) {
        const i = idx[a] as number;
        const v = (beta[i] as number) + step * ((z[i] as number) - (beta[i] as number));
        beta[i] = v;
        if (i === leaving || v <= 0) {
          beta[i] = 0;
          passive[i] = 0;
        }
      }
    }
  }
  return null;
}

function enumerate(M: Float64Array, K: number, b: Float64Array, tol: number): Float64Array | null {
  const idx = new Int32Array(K);
  const L = new Float64Array(K * K);
  const rhs = new Float64Array(K);
  const sol = new Float64Array(K);
  let best: Float64Array | null = null;
  let bestObj = Infinity;
  for (let mask = 0; mask < 1 << K; mask++) {
    let n = 0;
    for (let i = 0; i < K; i++) if (mask & (1 << i)) idx[n++] = i;
    const beta = new Float64Array(K);
    if (n > 0) {
      if (!choleskySubset(M, K, idx, n, L)) continue;
      for (let a = 0; a < n; a++) rhs[a] = -(b[idx[a] as number] as number);
      choleskySolve(L, n, rhs, sol);
      let ok = true;
      for (let a = 0; a < n; a++) if ((sol[a] as number) < -tol) ok = false;
      if (!ok) continue;
      for (let a = 0; a < n; a++) beta[idx[a] as number] = Math.max(0, sol[a] as number);
    }
    if (!certified(M, K, b, beta, tol)) continue;
    const Mb = matVec(M, K, beta, new Float64Array(K));
    let obj = 0;
    for (let i = 0; i < K; i++) obj += (beta[i] as number) * (0.5 * (Mb[i] as number) + (b[i] as number));
    if (obj < bestObj) { bestObj = obj; best = beta; }
  }
  return best;
}
