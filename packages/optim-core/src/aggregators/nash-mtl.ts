import { SolverError, UndefinedResultError } from '../errors';
import { quadForm } from '../gram/kspace';
import { minNormPoint } from '../gram/min-norm';
import { normalizeGramian } from '../gram/normalize';
import { choleskySolve, choleskySubset } from '../gram/subset-solve';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkNumber, checkOptionKeys } from './options';

/** Options of Nash-MTL (mtl-methods.md §3.6). */
export interface NashMTLOptions {
  /**
   * Clip ‖d‖ to this norm (0 = no clipping). Default 1, as the official `max_norm`. Clipping is
   * scale-dependent by design: the weights are scale-invariant only with `maxNorm: 0`.
   */
  readonly maxNorm?: number;
}

/** Info of a Nash-MTL step. */
export interface NashMTLInfo {
  /** The bargaining solution α > 0 of (M/‖M‖_F)α = 1/α, before clipping. */
  readonly alpha: Float64Array;
  /** ‖Σ α_i g_i‖ on the original scale, before clipping (= sqrt(K·‖M‖_F)). */
  readonly normBeforeClip: number;
  /** The factor applied by clipping (1 when ‖d‖ ≤ maxNorm or maxNorm = 0). */
  readonly clipFactor: number;
  /** Newton iterations and the final relative residual max_i |α_i(M̃α)_i − 1|. */
  readonly iterations: number;
  readonly residual: number;
}

/** Defaults of {@link createNashMTL}. */
export const NASH_MTL_DEFAULTS = Object.freeze({ maxNorm: 1 });

/**
 * A norm counts as zero at ≤ 1e-7 of s_G (the project's zeroTol, came-grad.md §5): below it
 * conv{g_i} is taken to contain 0 and the bargaining solution does not exist.
 */
const ZERO_TOL = 1e-7;
/** Stop at max_i |α_i(M̃α)_i − 1| ≤ 1e-12, the relative form of ‖M̃α − 1/α‖ ≤ 1e-12. */
const RESIDUAL_TOL = 1e-12;
/** After a stall, accept below this residual or the rounding floor of α_i(M̃α)_i; otherwise throw. */
const ACCEPT_TOL = 1e-9;
const MAX_ITER = 200;

/**
 * Nash-MTL (Navon et al., ICML 2022, Eq. 3 / Alg. 1): the Nash bargaining direction d = Σ α_i g_i
 * with M̃α = 1/α (elementwise), M̃ = M/‖M‖_F, then ‖d‖ clipped to `maxNorm`.
 * Solved exactly by damped Newton on the strictly convex φ(α) = ½αᵀM̃α − Σ log α_i (Hessian
 * M̃ + diag(1/α²), fraction-to-boundary and Armijo backtracking), started from the orthogonal-rows
 * solution α_i ∝ 1/√M̃_ii rescaled so that αᵀM̃α = K. Stateless; the official code instead runs up to
 * 20 warm-started convex-concave cvxpy steps to a residual of 1e-3.
 * Throws `UndefinedResultError` when 0 ∈ conv{g_i} (φ unbounded below; any zero row included).
 * Non-conflicting when defined: ⟨d, g_i⟩ = ‖M‖_F/α_i > 0.
 */
export function createNashMTL(options: NashMTLOptions = {}): Weighting<NashMTLInfo> {
  checkOptionKeys('nash-mtl', options, ['maxNorm']);
  const maxNorm = checkNumber('nash-mtl.maxNorm', options.maxNorm ?? NASH_MTL_DEFAULTS.maxNorm, { min: 0 });
  return defineWeighting<NashMTLInfo>({
    id: 'nash-mtl',
    options: { maxNorm },
    taskWeights: undefined,
    weigh: (gram) => {
      const K = gram.rows;
      const { gram: mt, scale } = normalizeGramian(gram);
      if (scale === 0) throw new UndefinedResultError('nash-mtl', 'every task gradient is zero, so 0 ∈ conv{g_i}');
      const mn = minNormPoint(mt);
      if (Math.sqrt(mn.normSq) <= ZERO_TOL) {
        throw new UndefinedResultError('nash-mtl', `0 ∈ conv{g_i} (minimum-norm point ${Math.sqrt(mn.normSq)}·s_G with weights [${Array.from(mn.weights).join(', ')}]): the bargaining problem is unbounded`);
      }
      // ‖M‖_F = s²·‖M̃‖_F, so M/‖M‖_F = M̃/‖M̃‖_F without squaring the raw (possibly huge) entries.
      let fro = 0;
      for (const v of mt.data) fro += v * v;
      fro = Math.sqrt(fro);
      const A = mt.data.map((v) => v / fro);
      const { alpha, iterations, residual } = solveBargaining(A, K);
      // ‖d‖² = αᵀMα = s²·αᵀM̃α.
      const normBeforeClip = Math.sqrt(quadForm(mt.data, K, alpha)) * Math.sqrt(scale);
      const clipFactor = maxNorm > 0 && normBeforeClip > maxNorm ? maxNorm / normBeforeClip : 1;
      const weights = alpha.map((a) => a * clipFactor);
      return { weights, info: { alpha, normBeforeClip, clipFactor, iterations, residual } };
    },
  });
}

/** Damped Newton for A α = 1/α, α > 0 (A positive semidefinite with 0 ∉ conv of its rows' vectors). */
function solveBargaining(A: Float64Array, K: number): { alpha: Float64Array; iterations: number; residual: number } {
  const alpha = new Float64Array(K);
  for (let i = 0; i < K; i++) alpha[i] = 1 / Math.sqrt(A[i * (K + 1)]!);
  const t0 = Math.sqrt(K / quadForm(A, K, alpha));
  for (let i = 0; i < K; i++) alpha[i] = alpha[i]! * t0;

  const Aa = new Float64Array(K);
  const grad = new Float64Array(K);
  const H = new Float64Array(K * K);
  const L = new Float64Array(K * K);
  const step = new Float64Array(K);
  const trial = new Float64Array(K);
  const idx = Int32Array.from({ length: K }, (_, i) => i);
  const phi = (x: Float64Array): number => {
    let s = 0.5 * quadForm(A, K, x);
    for (let i = 0; i < K; i++) s -= Math.log(x[i]!);
    return s;
  };
  const residualOf = (x: Float64Array): number => {
    let r = 0;
    for (let i = 0; i < K; i++) {
      let ax = 0;
      for (let j = 0; j < K; j++) ax += A[i * K + j]! * x[j]!;
      r = Math.max(r, Math.abs(x[i]! * ax - 1));
    }
    return r;
  };
  // What rounding alone leaves in α_i(Aα)_i when its terms cancel (nearly stationary inputs).
  const roundingFloor = (x: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < K; i++) {
      let ax = 0;
      for (let j = 0; j < K; j++) ax += Math.abs(A[i * K + j]! * x[j]!);
      f = Math.max(f, x[i]! * ax);
    }
    return 64 * K * Number.EPSILON * f;
  };

  let residual = residualOf(alpha);
  let it = 0;
  for (; it < MAX_ITER && residual > Math.max(RESIDUAL_TOL, roundingFloor(alpha)); it++) {
    for (let i = 0; i < K; i++) {
      let ax = 0;
      for (let j = 0; j < K; j++) ax += A[i * K + j]! * alpha[j]!;
      Aa[i] = ax;
      grad[i] = ax - 1 / alpha[i]!;
    }
    H.set(A);
    for (let i = 0; i < K; i++) H[i * (K + 1)] = H[i * (K + 1)]! + 1 / (alpha[i]! * alpha[i]!);
    if (!choleskySubset(H, K, idx, K, L)) throw new SolverError('nash-mtl Newton (Hessian not positive definite)', it, residual);
    choleskySolve(L, K, grad, step);
    let slope = 0;
    for (let i = 0; i < K; i++) {
      step[i] = -step[i]!;
      slope += grad[i]! * step[i]!;
    }
    // Fraction to the boundary keeps α > 0; Armijo on φ keeps the iteration globally convergent.
    let t = 1;
    for (let i = 0; i < K; i++) if (step[i]! < 0) t = Math.min(t, -0.99 * alpha[i]! / step[i]!);
    for (let i = 0; i < K; i++) trial[i] = alpha[i]! + t * step[i]!;
    let next = residualOf(trial);
    // Near the solution φ changes by less than its rounding, so Armijo cannot judge a step there:
    // a full Newton step that lowers the residual is taken as is (quadratic convergence).
    if (!(t === 1 && next < residual)) {
      const f0 = phi(alpha);
      let accepted = false;
      for (let back = 0; back < 60 && !accepted; back++) {
        for (let i = 0; i < K; i++) trial[i] = alpha[i]! + t * step[i]!;
        if (phi(trial) <= f0 + 1e-4 * t * slope) accepted = true;
        else t *= 0.5;
      }
      if (!accepted) break; // rounding floor: φ cannot decrease further
      next = residualOf(trial);
    }
    alpha.set(trial);
    residual = next;
  }
  if (!(residual <= Math.max(ACCEPT_TOL, roundingFloor(alpha)))) throw new SolverError('nash-mtl Newton', it, residual);
  return { alpha, iterations: it, residual };
}
