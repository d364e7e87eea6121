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
   * `closed-form` (K ≤ 2), `enumeration` (K ≤ 10), `frank-wolfe` (larger K, polished on its support), or `stationary` when the
   * optimum is at g_α = 0 (0 in the convex hull; α* is then the minimum-norm point's weights).
   */
  readonly method: 'closed-form' | 'enumeration' | 'frank-wolfe' | 'stationary';
}

/** Largest K solved by enumerating all 2^K − 1 supports (came-grad.md §3.1). */
const MAX_ENUMERATION_K = 10;

/**
 * Exact minimiser of F̃(α) = αᵀM̃m + c·sqrt(αᵀM̃α) over the simplex (came-grad.md §3.1; the dual of
 * CAGrad, Liu et al. NeurIPS 2021, Eq. 3), for a Gram matrix already normalised to mean diagonal 1
 * and c = ρ·‖μ‖/s_G > 0. K = 2 uses the closed form; 3 ≤ K ≤ 10 enumerates supports, solving the
 * scalar quadratic in τ on each (smallest supports first; F̃ is convex, so the first support that
 * passes the KKT test is optimal); larger K runs away-step Frank–Wolfe with exact line search to a
 * relative gap of 1e-12, then re-solves exactly on the support it found. Every constant is on the normalised scale. Unlike the original SLSQP solver there is
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
    // Fast path: a greedy active-set pursuit usually lands on the optimal support in a few exact
    // solves; its answer is KKT-certified, so falling back to enumeration only costs time.
    const found = (K <= 31 ? activeSet(M, K, p, c, tol) : null)
      ?? (K <= MAX_ENUMERATION_K ? enumerate(M, K, p, c, tol) : polishedFrankWolfe(M, K, p, c, tol));
    method = K <= MAX_ENUMERATION_K ? 'enumeration' : 'frank-wolfe';
    // 0 ∈ conv{g_i} forces F* ≤ 0, and F* < 0 keeps g_α* ≠ 0; only F* ≈ 0 needs the exact check.
    if (found === null || Math.abs(found.tau) <= tol) {
      const mn = minNormPoint(gram);
      if (Math.sqrt(mn.normSq) <= zeroTol && (found === null || found.tau >= -tol)) {
        return finish(M, K, p, c, Float64Array.from(mn.weights), 'stationary', zeroTol);
      }
    }
    if (found === null) {
      const retry = K <= MAX_ENUMERATION_K ? polishedFrankWolfe(M, K, p, c, tol) : null;
      if (retry === null) throw new SolverError('solveCAGradDual (no KKT point found)', 1 << Math.min(K, 30), Number.NaN);
      alpha = retry.alpha;
      method = 'frank-wolfe';
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
  /** After a failed `solve`: the task whose y was most negative, or −1 for another failure. */
  worstAt = -1;
  /** After `violation`: the most violated off-support task. */
  violatedAt = -1;
  constructor(readonly M: Float64Array, readonly K: number, readonly p: Float64Array, readonly c: number, readonly tol: number) {
    this.idx = new Int32Array(K);
    this.L = new Float64Array(K * K);
    this.u = new Float64Array(K);
    this.v = new Float64Array(K);
    this.pS = new Float64Array(K);
    this.ones = new Float64Array(K).fill(1);
    this.y = new Float64Array(K);
  }

  /**
   * Solves the stationarity equations on support idx[0..n): M̃_SS y = τ1 − p_S with yᵀM̃_SS y = c²
   * (a quadratic in τ). Returns τ when valid (λ = Σy > 0, y ≥ −tol·λ) and leaves y (full length K,
   * zero off S) in `this.y`; NaN if the face is singular or no root is valid.
   */
  solve(n: number): number {
    const { M, K, idx, L, u, v, pS, c, y, tol } = this;
    this.worstAt = -1;
    if (!choleskySubset(M, K, idx, n, L)) return Number.NaN;
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
    if (!(lambda > 0)) return Number.NaN;
    const tau = (qb + lambda) / qa;
    this.worstAt = -1;
    let worst = -tol * lambda;
    for (let a = 0; a < n; a++) {
      const ya = tau * (u[a] as number) - (v[a] as number);
      if (ya < worst) { worst = ya; this.worstAt = idx[a] as number; }
    }
    if (this.worstAt >= 0) return Number.NaN;
    y.fill(0);
    for (let a = 0; a < n; a++) y[idx[a] as number] = Math.max(0, tau * (u[a] as number) - (v[a] as number));
    return tau;
  }

  /** Largest KKT violation τ − (M̃(m + y))_i over i ∉ S (bit i of `mask`), using `this.y`; −∞ if none. */
  violation(tau: number, mask: number): number {
    const { M, K, p, y } = this;
    let worst = -Infinity;
    this.violatedAt = -1;
    for (let i = 0; i < K; i++) {
      if (mask & (1 << i)) continue;
      let g = p[i] as number;
      for (let j = 0; j < K; j++) {
        const yj = y[j] as number;
        if (yj !== 0) g += (M[i * K + j] as number) * yj;
      }
      if (tau - g > worst) { worst = tau - g; this.violatedAt = i; }
    }
    return worst;
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
  const full = 1 << K;
  for (let size = 1; size <= K; size++) {
    for (let mask = 1; mask < full; mask++) {
      if (popcount(mask) !== size) continue;
      let n = 0;
      for (let i = 0; i < K; i++) if (mask & (1 << i)) s.idx[n++] = i;
      const tau = s.solve(n);
      if (Number.isNaN(tau)) continue;
      if (s.violation(tau, mask) > tol) continue;
      return { alpha: s.alphaFromY(), tau };
    }
  }
  return null;
}

/**
 * Greedy active-set pursuit from the best vertex: solve the support equations exactly, add the most
 * violated off-support task, drop a task whose coordinate turns negative. Returns a KKT-certified
 * candidate, or null (cycling, singular face) so that the caller enumerates.
 */
function activeSet(M: Float64Array, K: number, p: Float64Array, c: number, tol: number): Candidate | null {
  const s = new SupportSolver(M, K, p, c, tol);
  let start = 0, startF = Infinity;
  for (let i = 0; i < K; i++) {
    const f = (p[i] as number) + c * Math.sqrt(Math.max(0, M[i * (K + 1)] as number));
    if (f < startF) { startF = f; start = i; }
  }
  let mask = 1 << start;
  let added = start;
  for (let it = 0; it < 3 * K; it++) {
    let n = 0;
    for (let i = 0; i < K; i++) if (mask & (1 << i)) s.idx[n++] = i;
    const tau = s.solve(n);
    if (Number.isNaN(tau)) {
      if (s.worstAt < 0 || s.worstAt === added) return null;
      mask &= ~(1 << s.worstAt);
      continue;
    }
    if (s.violation(tau, mask) <= tol) return { alpha: s.alphaFromY(), tau };
    added = s.violatedAt;
    mask |= 1 << added;
  }
  return null;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * Away-step Frank–Wolfe on F̃ with exact line search (F̃ restricted to a segment has the same
 * closed-form minimiser as the K = 2 case), then an exact re-solve on the support it identified.
 */
function polishedFrankWolfe(M: Float64Array, K: number, p: Float64Array, c: number, tol: number): Candidate | null {
  const fw = frankWolfe(M, K, p, c);
  if (fw === null) return null;
  const s = new SupportSolver(M, K, p, c, tol);
  let n = 0, mask = 0;
  for (let i = 0; i < K; i++) {
    if ((fw.alpha[i] as number) > 1e-9) { s.idx[n++] = i; if (i < 31) mask |= 1 << i; }
  }
  if (K <= 31 && n > 0) {
    const tau = s.solve(n);
    if (!Number.isNaN(tau) && s.violation(tau, mask) <= tol) return { alpha: s.alphaFromY(), tau };
  }
  return fw;
}

function frankWolfe(M: Float64Array, K: number, p: Float64Array, c: number): Candidate | null {
  const alpha = new Float64Array(K);
  let start = 0, startF = Infinity;
  for (let i = 0; i < K; i++) {
    const f = (p[i] as number) + c * Math.sqrt(Math.max(0, M[i * (K + 1)] as number));
    if (f < startF) { startF = f; start = i; }
  }
  alpha[start] = 1;
  const Ma = new Float64Array(K);
  const dir = new Float64Array(K);
  const Md = new Float64Array(K);
  const maxIter = 20_000;
  for (let it = 0; it < maxIter; it++) {
    matVec(M, K, alpha, Ma);
    let A = 0, lin = 0;
    for (let i = 0; i < K; i++) { A += (alpha[i] as number) * (Ma[i] as number); lin += (alpha[i] as number) * (p[i] as number); }
    A = Math.max(0, A);
    const q = Math.sqrt(A);
    if (!(q > 0)) return null;
    // ∇F̃ = p + (c/q)·M̃α; the primal point r = m + (c/q)α certifies the gap.
    let s = 0, v = -1, gdotA = 0;
    const grad = (i: number) => (p[i] as number) + (c / q) * (Ma[i] as number);
    for (let i = 0; i < K; i++) {
      gdotA += (alpha[i] as number) * grad(i);
      if (grad(i) < grad(s)) s = i;
      if ((alpha[i] as number) > 0 && (v < 0 || grad(i) > grad(v))) v = i;
    }
    const F = lin + c * q;
    const gap = gdotA - grad(s);
    if (gap <= 1e-12 * Math.max(1, Math.abs(F))) return { alpha, tau: F };
    const toward = gap >= grad(v) - gdotA;
    for (let i = 0; i < K; i++) dir[i] = toward ? -(alpha[i] as number) : (alpha[i] as number);
    if (toward) dir[s] = (dir[s] as number) + 1;
    else dir[v] = (dir[v] as number) - 1;
    const av = alpha[v] as number;
    const maxStep = toward ? 1 : av / (1 - av);
    matVec(M, K, dir, Md);
    let B = 0, C = 0, a = 0;
    for (let i = 0; i < K; i++) {
      B += (alpha[i] as number) * (Md[i] as number);
      C += (dir[i] as number) * (Md[i] as number);
      a += (p[i] as number) * (dir[i] as number);
    }
    const step = lineSearch(a, A, B, C, c, maxStep);
    for (let i = 0; i < K; i++) alpha[i] = Math.max(0, (alpha[i] as number) + step * (dir[i] as number));
    if (!toward && step === maxStep) alpha[v] = 0;
  }
  return null;
}

/** argmin over γ ∈ [0, γmax] of a·γ + c·sqrt(A + 2Bγ + Cγ²) (the K = 2 closed form of §3.1). */
function lineSearch(a: number, A: number, B: number, C: number, c: number, maxStep: number): number {
  if (!(C > 0)) return a < 0 ? maxStep : 0;
  const H = Math.max(0, A * C - B * B);
  const psi = -a / (c * Math.sqrt(C));
  if (psi >= 1) return maxStep;
  if (psi <= -1) return 0;
  const t = psi * Math.sqrt(H / (1 - psi * psi));
  return Math.min(maxStep, Math.max(0, (t - B) / C));
}
