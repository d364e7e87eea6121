import { SolverError } from '../errors';
import type { Matrix } from '../types';
import { matVec, quadForm } from './kspace';
import { solveBorderedSubset } from './subset-solve';

/** The minimum-norm point of conv{g_i}: its simplex weights and its squared norm. */
export interface MinNormResult {
  /** w* ∈ Δ_K (unique only when the minimising face is non-degenerate). */
  readonly weights: Float64Array;
  /** ‖Σ w*_i g_i‖² = w*ᵀ M w*, on the scale of the given matrix. */
  readonly normSq: number;
  /** Task indices with w*_i > 0. */
  readonly support: readonly number[];
  /** How the answer was found. */
  readonly method: 'closed-form' | 'active-set' | 'enumeration' | 'frank-wolfe';
}

/** KKT slack on the normalised scale (mean diagonal 1). */
const KKT_TOL = 1e-10;
/** Largest K solved by exact support enumeration (mtl-methods.md §3.3). */
const MAX_ENUMERATION_K = 12;
/** Relative Frank–Wolfe gap at which the iterative fallback stops (mtl-methods.md §3.3). */
const FW_GAP = 1e-12;

/**
 * Exact minimum-norm point of the convex hull of the rows (MGDA, Désidéri 2012; Sener & Koltun 2018):
 * w* = argmin_{w ∈ Δ_K} wᵀMw. K = 2 uses the closed form, K ≤ 12 exact support enumeration (on each
 * face the bordered KKT system M_SS w = t·1, 1ᵀw = 1, kept when w ≥ 0 and (Mw)_i ≥ t off the face),
 * smallest faces first so that the first face passing the KKT test is returned,
 * (after a greedy active-set pass whose answer is KKT-certified when it succeeds), and larger K an
 * away-step Frank–Wolfe to a relative gap of 1e-12. All tolerances are relative to
 * tr(M)/K. Unlike Sener's `MinNormSolver`, there is no 0.999/0.001 clamp and no absolute constant.
 */
export function minNormPoint(gram: Matrix): MinNormResult {
  const K = gram.rows;
  const M = normalized(gram);
  if (M === null) {
    const w = new Float64Array(K).fill(1 / K);
    return { weights: w, normSq: 0, support: range(K), method: 'closed-form' };
  }
  let w: Float64Array;
  let method: MinNormResult['method'];
  if (K === 1) {
    w = Float64Array.of(1);
    method = 'closed-form';
  } else if (K === 2) {
    const m00 = M[0] as number, m01 = M[1] as number, m11 = M[3] as number;
    const den = m00 + m11 - 2 * m01;
    const a = den > 0 ? Math.min(1, Math.max(0, (m11 - m01) / den)) : 0.5;
    w = Float64Array.of(a, 1 - a);
    method = 'closed-form';
  } else {
    const fast = activeSet(M, K);
    const exact = fast ?? (K <= MAX_ENUMERATION_K ? enumerate(M, K) : null);
    if (exact !== null) {
      w = exact;
      method = fast !== null ? 'active-set' : 'enumeration';
    } else {
      w = frankWolfe(M, K);
      method = 'frank-wolfe';
    }
  }
  const support: number[] = [];
  for (let i = 0; i < K; i++) if ((w[i] as number) > 0) support.push(i);
  return { weights: w, normSq: quadForm(gram.data, K, w), support, method };
}

function enumerate(M: Float64Array, K: number): Float64Array | null {
  const idx = new Int32Array(K);
  const ws = new Float64Array(K);
  const A = new Float64Array((K + 1) * (K + 2));
  const full = 1 << K;
  // Smallest faces first: the problem is convex, so the first face passing the KKT test is optimal.
  for (let size = 1; size <= K; size++) {
    for (let mask = 1; mask < full; mask++) {
      if (popcount(mask) !== size) continue;
      let n = 0;
      for (let i = 0; i < K; i++) if (mask & (1 << i)) idx[n++] = i;
      const t = solveBorderedSubset(M, K, idx, n, A, ws);
      if (!Number.isFinite(t)) continue;
      let ok = true;
      for (let a = 0; a < n && ok; a++) if ((ws[a] as number) < -KKT_TOL) ok = false;
      if (!ok) continue;
      for (let i = 0; i < K && ok; i++) {
        if (mask & (1 << i)) continue;
        let mw = 0;
        for (let a = 0; a < n; a++) mw += (M[i * K + (idx[a] as number)] as number) * (ws[a] as number);
        if (mw < t - KKT_TOL) ok = false;
      }
      if (!ok) continue;
      // Clip round-off negatives and renormalise.
      const w = new Float64Array(K);
      let sum = 0;
      for (let a = 0; a < n; a++) {
        const v = Math.max(0, ws[a] as number);
        w[idx[a] as number] = v;
        sum += v;
      }
      if (!(sum > 0)) continue;
      for (let a = 0; a < n; a++) w[idx[a] as number] = (w[idx[a] as number] as number) / sum;
      return w;
    }
  }
  return null;
}

/**
 * Greedy active set from the shortest row: solve the face's bordered KKT system, add the most
 * violated task ((Mw)_i < t), drop a task whose weight turns negative. KKT-certified or null.
 */
function activeSet(M: Float64Array, K: number): Float64Array | null {
  const idx = new Int32Array(K);
  const ws = new Float64Array(K);
  const A = new Float64Array((K + 1) * (K + 2));
  let start = 0;
  for (let i = 1; i < K; i++) if ((M[i * (K + 1)] as number) < (M[start * (K + 1)] as number)) start = i;
  const inS = new Uint8Array(K);
  inS[start] = 1;
  let added = start;
  for (let it = 0; it < 3 * K; it++) {
    let n = 0;
    for (let i = 0; i < K; i++) if (inS[i]) idx[n++] = i;
    const t = solveBorderedSubset(M, K, idx, n, A, ws);
    if (!Number.isFinite(t)) return null;
    let worst = -KKT_TOL, worstAt = -1;
    for (let a = 0; a < n; a++) if ((ws[a] as number) < worst) { worst = ws[a] as number; worstAt = idx[a] as number; }
    if (worstAt >= 0) {
      if (worstAt === added) return null;
      inS[worstAt] = 0;
      continue;
    }
    let viol = KKT_TOL, violAt = -1;
    for (let i = 0; i < K; i++) {
      if (inS[i]) continue;
      let mw = 0;
      for (let a = 0; a < n; a++) mw += (M[i * K + (idx[a] as number)] as number) * (ws[a] as number);
      if (t - mw > viol) { viol = t - mw; violAt = i; }
    }
    if (violAt < 0) {
      const w = new Float64Array(K);
      let sum = 0;
      for (let a = 0; a < n; a++) { const v = Math.max(0, ws[a] as number); w[idx[a] as number] = v; sum += v; }
      if (!(sum > 0)) return null;
      for (let a = 0; a < n; a++) w[idx[a] as number] = (w[idx[a] as number] as number) / sum;
      return w;
    }
    inS[violAt] = 1;
    added = violAt;
  }
  return null;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** Away-step Frank–Wolfe with exact line search (the objective is quadratic). */
function frankWolfe(M: Float64Array, K: number): Float64Array {
  const w = new Float64Array(K);
  // Start at the vertex of the shortest row.
  let start = 0;
  for (let i = 1; i < K; i++) if ((M[i * (K + 1)] as number) < (M[start * (K + 1)] as number)) start = i;
  w[start] = 1;
  const Mw = new Float64Array(K);
  const maxIter = 100_000;
  let gap = Infinity;
  for (let it = 0; it < maxIter; it++) {
    matVec(M, K, w, Mw);
    let wMw = 0;
    for (let i = 0; i < K; i++) wMw += (w[i] as number) * (Mw[i] as number);
    let s = 0, v = -1;
    for (let i = 0; i < K; i++) {
      if ((Mw[i] as number) < (Mw[s] as number)) s = i;
      if ((w[i] as number) > 0 && (v < 0 || (Mw[i] as number) > (Mw[v] as number))) v = i;
    }
    gap = wMw - (Mw[s] as number);
    if (gap <= FW_GAP * Math.max(1, wMw)) return w;
    const awayGap = (Mw[v] as number) - wMw;
    // Direction e_s − w (toward) or w − e_v (away), whichever promises more decrease.
    const toward = gap >= awayGap;
    const dir = new Float64Array(K);
    for (let i = 0; i < K; i++) dir[i] = toward ? -(w[i] as number) : (w[i] as number);
    if (toward) dir[s] = (dir[s] as number) + 1;
    else dir[v] = (dir[v] as number) - 1;
    const wv = (w[v] as number);
    const maxStep = toward ? 1 : wv / (1 - wv);
    let dMw = 0;
    for (let i = 0; i < K; i++) dMw += (dir[i] as number) * (Mw[i] as number);
    const dMd = quadForm(M, K, dir);
    let step = dMd > 0 ? -dMw / dMd : maxStep;
    step = Math.min(maxStep, Math.max(0, step));
    for (let i = 0; i < K; i++) w[i] = Math.max(0, (w[i] as number) + step * (dir[i] as number));
    if (!toward && step === maxStep) w[v] = 0;
  }
  throw new SolverError('minNormPoint (Frank–Wolfe)', maxIter, gap);
}

/** M / (tr M / K), or null when the trace is 0. */
function normalized(gram: Matrix): Float64Array | null {
  const K = gram.rows;
  let tr = 0;
  for (let i = 0; i < K; i++) tr += gram.data[i * (K + 1)] as number;
  const s = tr / K;
  if (!(s > 0)) return null;
  const out = new Float64Array(K * K);
  for (let t = 0; t < K * K; t++) out[t] = (gram.data[t] as number) / s;
  return out;
}

function range(K: number): number[] {
  return Array.from({ length: K }, (_, i) => i);
}
