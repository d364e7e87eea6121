import type { StageDiagnostics } from '../diagnostics/step-diagnostics';
import { normalizeGramian } from '../gram/normalize';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkEnum, checkNumber, checkOptionKeys } from './options';
import { rectify } from './rectify';

/** Options of CAGrad (mtl-methods.md §3.4). */
export interface CAGradOptions {
  /** c ≥ 0, radius of the ball around the mean gradient relative to ‖g0‖. Default 0.5. */
  readonly c?: number;
  /** Final division: 0 → none (torchjd), 1 → 1 + c² (default, nyuv2/cityscapes), 2 → 1 + c (toy.py). */
  readonly rescale?: 0 | 1 | 2;
}

/** Info of a CAGrad step. */
export interface CAGradInfo {
  /** w* of the dual (null when c = 0 or g0 = 0). */
  readonly dualWeights: Float64Array | null;
  /** Tasks with w*_i > 0. */
  readonly support: readonly number[];
  /** c‖g0‖/‖g_w*‖ (regular branch), else null. */
  readonly lambdaOverNorm: number | null;
  /** min_i ⟨g_i, d⟩ of the returned (rescaled) direction. */
  readonly minInner: number;
  /** True on the projection branch (g_w* = 0). */
  readonly degenerate: boolean;
  readonly stages: StageDiagnostics;
}

/** Defaults of {@link createCAGrad}. */
export const CAGRAD_DEFAULTS = Object.freeze({ c: 0.5, rescale: 1 as const });

/**
 * CAGrad (Liu, Liu, Jin, Stone, Liu, "Conflict-Averse Gradient Descent for Multi-task Learning",
 * NeurIPS 2021, Eq. 3 and Alg. 1): d = (g0 + (c‖g0‖/‖g_w*‖)·g_w*)/R with the dual solved exactly on
 * the normalised Gram. Degenerate branch (g_w* = 0): d = π_C(g0)/R, the primal optimum closest to
 * g0 (`degenerate: true`). Deviations from the official code: exact solver instead of SLSQP, no
 * absolute `+1e-8` terms (so it is scale-equivariant), d itself is returned (not K·d).
 */
export function createCAGrad(options: CAGradOptions = {}): Weighting<CAGradInfo> {
  checkOptionKeys('cagrad', options, ['c', 'rescale']);
  const c = checkNumber('cagrad.c', options.c ?? CAGRAD_DEFAULTS.c, { min: 0 });
  const rescale = checkEnum('cagrad.rescale', options.rescale ?? CAGRAD_DEFAULTS.rescale, [0, 1, 2] as const);
  const R = rescale === 0 ? 1 : rescale === 1 ? 1 + c * c : 1 + c;
  // The zero test of came-grad.md §5 (relative, 1e-7), shared with CAME-Grad.
  const zeroTol = 1e-7;
  return defineWeighting<CAGradInfo>({
    id: 'cagrad',
    options: { c, rescale },
    taskWeights: undefined,
    weigh: (gram) => {
      const { gram: Mn, scale } = normalizeGramian(gram);
      const rect = rectify(Mn, c, zeroTol, scale === 0);
      const w = rect.r.map((ri) => ri / R);
      const s = Math.sqrt(scale);
      const support: number[] = [];
      rect.alpha?.forEach((a, i) => { if (a > 0) support.push(i); });
      return {
        weights: w,
        info: {
          dualWeights: rect.alpha,
          support,
          lambdaOverNorm: rect.lambda,
          minInner: (scale * rect.minInner) / R,
          degenerate: rect.branch === 'projection',
          stages: {
            branch: scale === 0 ? 'zero' : rect.branch,
            dualWeights: rect.alpha,
            lambda: rect.lambda,
            dualValue: rect.dualValue === null ? null : scale * rect.dualValue,
            dualityGap: rect.gap,
            rectNorm: s * Math.sqrt(rect.normSq),
            enNorm: null,
            minInnerRect: scale * rect.minInner,
          },
        },
      };
    },
  });
}
