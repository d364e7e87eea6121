import type { RectifyBranch } from '../diagnostics/step-diagnostics';
import { solveCAGradDual } from '../gram/cagrad-dual';
import { projectDualCone } from '../gram/dual-cone';
import { matVec, quadForm } from '../gram/kspace';
import type { Matrix } from '../types';

/** S1 of CAME-Grad / the CAGrad direction before any rescale, in K-space on the normalised Gram. */
export interface Rectification {
  /** Coefficients r with u_rect = Σ r_i g_i. */
  readonly r: Float64Array;
  readonly branch: Exclude<RectifyBranch, 'zero'>;
  /** α* (regular and projection branches). */
  readonly alpha: Float64Array | null;
  /** λ = c/q = ρ‖μ‖/‖g_α*‖ (regular branch). */
  readonly lambda: number | null;
  /** F̃(α*) on the normalised scale (null on the mean branch, where no dual is solved). */
  readonly dualValue: number | null;
  /** F̃(α*) − min_i (M̃r)_i (null on the mean branch). */
  readonly gap: number | null;
  /** min_i (M̃ r)_i = min_i ⟨g_i, u_rect⟩ / s². */
  readonly minInner: number;
  /** rᵀM̃r = ‖u_rect‖² / s². */
  readonly normSq: number;
}

/**
 * u_rect = argmax_u min_i ⟨g_i, u⟩ s.t. ‖u − μ‖ ≤ ρ‖μ‖ (came-grad.md §2 S1, §4 step 3; CAGrad with
 * c = ρ), on M̃ = M/s². Branches: `mean` (ρ = 0, ‖μ‖ ≤ zeroTol, or `skip`), `projection`
 * (‖g_α*‖ ≤ zeroTol: u_rect = π_C(μ), the optimum closest to μ) and `regular`
 * (r = m + (c/q)·α*).
 */
export function rectify(Mn: Matrix, rho: number, zeroTol: number, skip = false): Rectification {
  const K = Mn.rows;
  const M = Mn.data;
  const m = new Float64Array(K).fill(1 / K);
  const muNorm = Math.sqrt(quadForm(M, K, m));
  if (skip || rho === 0 || muNorm <= zeroTol) {
    return finish(M, K, m, 'mean', null, null, null);
  }
  const c = rho * muNorm;
  const dual = solveCAGradDual(Mn, c, zeroTol);
  if (dual.q <= zeroTol) {
    const proj = projectDualCone(Mn, m);
    return finish(M, K, proj.coefficients, 'projection', dual.alpha, null, dual.value);
  }
  const lambda = c / dual.q;
  const r = new Float64Array(K);
  for (let i = 0; i < K; i++) r[i] = (m[i] as number) + lambda * (dual.alpha[i] as number);
  return finish(M, K, r, 'regular', dual.alpha, lambda, dual.value);
}

function finish(
  M: Float64Array, K: number, r: Float64Array, branch: Rectification['branch'],
  alpha: Float64Array | null, lambda: number | null, dualValue: number | null,
): Rectification {
  const Mr = matVec(M, K, r, new Float64Array(K));
  let minInner = Infinity;
  for (let i = 0; i < K; i++) minInner = Math.min(minInner, Mr[i] as number);
  return {
    r, branch, alpha, lambda, dualValue,
    gap: dualValue === null ? null : dualValue - minInner,
    minInner,
    normSq: quadForm(M, K, r),
  };
}
