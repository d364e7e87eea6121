import { quadForm } from '../gram/kspace';
import { minNormPoint } from '../gram/min-norm';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkEnum, checkOptionKeys } from './options';

/** Options of MGDA (mtl-methods.md §3.3). */
export interface MGDAOptions {
  /** `none` (default): min-norm point of the raw rows. `l2`: of the unit rows ĝ_i = g_i/‖g_i‖. */
  readonly normalize?: 'none' | 'l2';
}

/** Info of an MGDA step. */
export interface MGDAInfo {
  readonly normalize: 'none' | 'l2';
  /** Tasks with positive weight. */
  readonly support: readonly number[];
  /** ‖d‖² on the original scale. */
  readonly normSq: number;
  /** How the min-norm point was found (`closed-form`, `enumeration`, `frank-wolfe`). */
  readonly solver: string;
}

/** Defaults of {@link createMGDA}. */
export const MGDA_DEFAULTS = Object.freeze({ normalize: 'none' as const });

/**
 * MGDA (Désidéri 2012; Sener & Koltun, NeurIPS 2018, Eq. 3): the exact minimum-norm point of
 * conv{g_i}, w* = argmin_{w∈Δ} wᵀMw, d = Σ w*_i g_i. Non-conflicting: ⟨d, g_i⟩ ≥ ‖d‖².
 * With `l2` the problem is solved on D⁻¹MD⁻¹ (D = diag ‖g_i‖) and w_i = ŵ_i/‖g_i‖; a zero row then
 * makes the min-norm point 0, returned as weight 1 on the first zero row (d = 0).
 * Deviation from Sener's MinNormSolver: no 0.999/0.001 clamp at vertices and no absolute constants.
 */
export function createMGDA(options: MGDAOptions = {}): Weighting<MGDAInfo> {
  checkOptionKeys('mgda', options, ['normalize']);
  const normalize = checkEnum('mgda.normalize', options.normalize ?? MGDA_DEFAULTS.normalize, ['none', 'l2'] as const);
  return defineWeighting<MGDAInfo>({
    id: 'mgda',
    options: { normalize },
    taskWeights: undefined,
    weigh: (gram) => {
      const K = gram.rows;
      if (normalize === 'none') {
        const r = minNormPoint(gram);
        return { weights: r.weights, info: { normalize, support: r.support, normSq: r.normSq, solver: r.method } };
      }
      const norms = new Float64Array(K);
      for (let i = 0; i < K; i++) norms[i] = Math.sqrt(Math.max(0, gram.data[i * (K + 1)] as number));
      const zero = norms.findIndex((n) => !(n > 0));
      if (zero >= 0) {
        const w = new Float64Array(K);
        w[zero] = 1;
        return { weights: w, info: { normalize, support: [zero], normSq: 0, solver: 'zero-row' } };
      }
      const unit = new Float64Array(K * K);
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) unit[i * K + j] = (gram.data[i * K + j] as number) / (norms[i] as number) / (norms[j] as number);
      }
      const r = minNormPoint({ rows: K, cols: K, data: unit });
      const w = new Float64Array(K);
      for (let i = 0; i < K; i++) w[i] = (r.weights[i] as number) / (norms[i] as number);
      return { weights: w, info: { normalize, support: r.support, normSq: quadForm(gram.data, K, w), solver: r.method } };
    },
  });
}
