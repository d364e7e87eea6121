import { SolverError } from '../errors';
import type { Matrix } from '../types';
import { matVec, quadForm } from './kspace';
import { minNormPoint } from './min-norm';
import { choleskySolve, choleskySubset } from './subset-solve';

/** Solution of the CAGrad / CAME-Grad S1 dual on the normalised Gram. */
export interface CAGradDualResult {
  /** α* ∈ Δ_K. */
  readonly alpha: Float64Array;
  /** F̃(α*) = α*ᵀM̃m + c·q, on the normalised scale. */
  readonly value: number;
  /** q = ‖g_α*‖ on the normalised scale, sqrt(α*ᵀM̃α*). */
  readonly q: number;
  /** gap(α*) = F̃(α*) − min_i (M̃ r(α*))_i with r = m + (c/q)α*; 0 when q = 0 (came-grad.md §3.1). */
  readonly gap: number;
  /** Indices with α*_i > 0. */
  readonly support: readonly number[];
  /**
   * `closed-form` (K ≤ 2), `enumeration` (K ≤ 10), `active-set` (larger K), or `stationary` when the
   * optimum is at g_α = 0 (0 in the convex hull; α* is then the minimum-norm point's weights).
   */
  readonly method: 'closed-form' | 'enumeration' | 'active-set' | 'stationary';
}

/** Largest K solved by enumerating all 2^K − 1 supports (came-grad.md §3.1). */
const MAX_ENUMERATION_K = 10;

/**
 * Exact minimiser of F̃(α) = αᵀM̃m + c·sqrt(αᵀM̃α) over the simplex (came-grad.md §3.1; the dual of
 * CAGrad, Liu et al. NeurIPS 2021, Eq. 3), for a Gram matrix already normalised to mean diagonal 1
 * and c = ρ·‖μ‖/s_G > 0. K = 2 uses the closed form; 3 ≤ K ≤ 10 enumerates supports, solving the
 * scalar quadratic in τ on each; larger K runs an exact active-set pursuit over the same support
 * equations. Every constant is on the normalised scale. Unlike the original SLSQP solver there is
 * no absolute `+1e-8` anywhere, so the weights are scale-invariant.
 *
 * When the optimum is at g_α = 0 (0 ∈ conv{g_i}; detected through the exact minimum-norm point
 * with `zeroTol`), α* is the minimum-norm weights and `method` is `stationary`.
 */
export function solveCAGradDual(gram: Matrix, c: number, zeroTol: number): CAGradDualResult {
  const K = gram.rows;
  const M = gram.data;
  if (!(c > 0) || !Number.isFinite(c)) throw new SolverError('solveCAGradDual: c should be finite and > 0', 0, c);
  const p = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += M[i * K + j] as number;
    p[i] = s / K;
  }
  // Tolerance for KKT slacks: F̃ is O(1 + c) on the normalised scale.
  const tol = 1e-10 * Math.max(1, c);
  let alpha: Float64Array;
  let method: CAGradDualResult['method'];
  if (K === 1) {
    alpha = Float64Array.of(1);
    method = 'closed-form';
  } else if (K === 2) {
    alpha = closedFormTwo(M, c);
    method = 'closed-form';
  } else {
    const found = K <= MAX_ENUMERATION_K ? enumerate(M, K, p, c, tol) : activeSet(M, K, p, c, tol);
    method = K <= MAX_ENUMERATION_K ? 'enumeration' : 'active-set';
    // F* > 0 rules out 0 ∈ conv{g_i} (α with g_α = 0 would give F = 0); otherwise check exactly.
    if (found === null || found.tau <= tol) {
      const mn = minNormPoint(gram);
      if (Math.sqrt(mn.normSq) <= zeroTol && (found === null || found.tau >= -tol)) {
        return finish(M, K, p, c, Float64Array.from(mn.weights), 'stationary', zeroTol);
      }
    }
    if (found === null) {
      const retry = K <= MAX_ENUMERATION_K ? activeSet(M, K, p, c, tol) : null;
      if (retry === null) throw new SolverError('solveCAGradDual (no KKT point found)', 1 << Math.min(K, 30), Number.NaN);
      alpha = retry.alpha;
      method = 'active-set';
    } else {
      alpha = found.alpha;
    }
  }
  return finish(M, K, p, c, alpha, method, zeroTol);
}

function finish(
  M: Float64Array, K: number, p: Float64Array, c: number, alpha: Float64Array,
  method: CAGradDualResult['method'], zeroTol: number,
): CAGradDualResult {
  const q = Math.sqrt(quadForm(M, K, alpha));
  let lin = 0;
  for (let i = 0; i < K; i++) lin += (alpha[i] as number) * (p[i] as number);
  const value = lin + c * q;
  let gap = 0;
  if (q > zeroTol) {
    const r = new Float64Array(K);
    for (let i = 0; i < K; i++) r[i] = 1 / K + (c / q) * (alpha[i] as number);
    const Mr = matVec(M, K, r, new Float64Array(K));
    let minInner = Infinity;
    for (let i = 0; i < K; i++) minInner = Math.min(minInner, Mr[i] as number);
    gap = value - minInner;
  }
  const support: number[] = [];
  for (let i = 0; i < K; i++) if ((alpha[i] as number) > 0) support.push(i);
  return { alpha, value, q, gap, support, method };
}

/** K = 2 closed form of came-grad.md §3.1. */
function closedFormTwo(M: Float64Array, c: number): Float64Array {
  const m00 = M[0] as number, m01 = M[1] as number, m11 = M[3] as number;
  const Dd = m00 + m11 - 2 * m01;
  if (!(Dd > 0)) return Float64Array.of(0.5, 0.5);
  const B = m01 - m11;
  const P = (m00 - m11) / 2;
  const H = Math.max(0, m00 * m11 - m01 * m01);
  const psi = -P / (c * Math.sqrt(Dd));
  let a: number;
  if (psi >= 1) a = 1;
  else if (psi <= -1) a = 0;
  else {
    const t = psi * Math.sqrt(H / (1 - psi * psi));
    a = Math.min(1, Math.max(0, (t - B) / Dd));
  }
  return Float64Array.of(a, 1 - a);
}

interface Candidate {
  readonly alpha: Float64Array;
  readonly tau: number;
}

/** Workspace for the support equations, allocated once per solve. */
class SupportSolver {
  readonly idx: Int32Array;
  readonly L: Float64Array;
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly pS: Float64Array;
  readonly ones: Float64Array;
  readonly y: Float64Array;
  readonly g: Float64Array;
  constructor(readonly M: Float64Array, readonly K: number, readonly p: Float64Array, readonly c: number, readonly tol: number) {
    this.idx = new Int32Array(K);
    this.L = new Float64Array(K * K);
    this.u = new Float64Array(K);
    this.v = new Float64Array(K);
    this.pS = new Float64Array(K);
    this.ones = new Float64Array(K).fill(1);
    this.y = new Float64Array(K);
    this.g = new Float64Array(K);
  }

  /**
   * Solves the stationarity equations on support idx[0..n): M̃_SS y = τ1 − p_S with yᵀM̃_SS y = c²
   * (a quadratic in τ). Returns τ when valid (λ = Σy > 0, y ≥ −tol·λ) and leaves y (full length K,
   * zero off S) in `this.y`; NaN if the face is singular or no root is valid. `mostNegative` reports
   * the support position of the most negative y for the active-set pursuit.
   */
  solve(n: number): { tau: number; mostNegative: number } {
    const { M, K, idx, L, u, v, pS, c, y, tol } = this;
    if (!choleskySubset(M, K, idx, n, L)) return { tau: Number.NaN, mostNegative: -1 };
    for (let a = 0; a < n; a++) pS[a] = this.p[idx[a] as number] as number;
    choleskySolve(L, n, this.ones, u);
    choleskySolve(L, n, pS, v);
    let qa = 0, qb = 0, qc = -c * c;
    for (let a = 0; a < n; a++) {
      qa += u[a] as number;
      qb += v[a] as number;
      qc += (pS[a] as number) * (v[a] as number);
    }
    // Of the two roots τ = (qb ± √disc)/qa, only the larger has λ = Σy = √disc > 0.
    const lambda = Math.sqrt(Math.max(0, qb * qb - qa * qc));
    if (!(lambda > 0)) return { tau: Number.NaN, mostNegative: -1 };
    const tau = (qb + lambda) / qa;
    let worst = 0, worstAt = -1;
    for (let a = 0; a < n; a++) {
      const ya = tau * (u[a] as number) - (v[a] as number);
      if (ya < worst) { worst = ya; worstAt = a; }
    }
    if (worst < -tol * lambda) return { tau: Number.NaN, mostNegative: worstAt };
    y.fill(0);
    for (let a = 0; a < n; a++) y[idx[a] as number] = Math.max(0, tau * (u[a] as number) - (v[a] as number));
    return { tau, mostNegative: -1 };
  }

  /** Largest KKT violation τ − (M̃(m + y))_i over i ∉ S, and where; uses `this.y`. */
  violation(tau: number, inSupport: (i: number) => boolean): { value: number; at: number } {
    const { M, K, p, y, g } = this;
    matVec(M, K, y, g);
    let value = -Infinity, at = -1;
    for (let i = 0; i < K; i++) {
      if (inSupport(i)) continue;
      const slack = tau - ((p[i] as number) + (g[i] as number));
      if (slack > value) { value = slack; at = i; }
    }
    return { value, at };
  }

  alphaFromY(): Float64Array {
    let lambda = 0;
    for (let i = 0; i < this.K; i++) lambda += this.y[i] as number;
    const alpha = new Float64Array(this.K);
    for (let i = 0; i < this.K; i++) alpha[i] = (this.y[i] as number) / lambda;
    return alpha;
  }
}

function enumerate(M: Float64Array, K: number, p: Float64Array, c: number, tol: number): Candidate | null {
  const s = new SupportSolver(M, K, p, c, tol);
  let best: Candidate | null = null;
  for (let mask = 1; mask < 1 << K; mask++) {
    let n = 0;
    for (let i = 0; i < K; i++) if (mask & (1 << i)) s.idx[n++] = i;
    const { tau } = s.solve(n);
    if (!(tau < (best?.tau ?? Infinity))) continue;
    const viol = s.violation(tau, (i) => (mask & (1 << i)) !== 0);
    if (viol.value > tol) continue;
    best = { alpha: s.alphaFromY(), tau };
  }
  return best;
}

/**
 * Active-set pursuit: solve the support equations exactly, drop the most negative coordinate or
 * add the most violated off-support index, until the KKT conditions hold (F̃ is convex, so any KKT
 * point is the global minimum). Starts at the best vertex.
 */
function activeSet(M: Float64Array, K: number, p: Float64Array, c: number, tol: number): Candidate | null {
  const s = new SupportSolver(M, K, p, c, tol);
  let start = 0, startF = Infinity;
  for (let i = 0; i < K; i++) {
    const f = (p[i] as number) + c * Math.sqrt(Math.max(0, M[i * (K + 1)] as number));
    if (f < startF) { startF = f; start = i; }
  }
  const inS = new Uint8Array(K);
  inS[start] = 1;
  const maxIter = 10 * K * K;
  for (let it = 0; it < maxIter; it++) {
    let n = 0;
    for (let i = 0; i < K; i++) if (inS[i]) s.idx[n++] = i;
    const { tau, mostNegative } = s.solve(n);
    if (!Number.isFinite(tau)) {
      if (mostNegative < 0 || n === 1) return null;
      inS[s.idx[mostNegative] as number] = 0;
      continue;
    }
    const viol = s.violation(tau, (i) => inS[i] === 1);
    if (viol.at < 0 || viol.value <= tol) return { alpha: s.alphaFromY(), tau };
    inS[viol.at] = 1;
  }
  return null;
}
