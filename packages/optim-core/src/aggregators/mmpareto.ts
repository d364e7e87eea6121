import { minNormPoint } from '../gram/min-norm';
import { normalizeGramian } from '../gram/normalize';
import { quadForm } from '../gram/kspace';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkNumber, checkOptionKeys } from './options';

/** Options of MMPareto (mtl-methods.md §5, the project's K-task generalisation). */
export interface MMParetoOptions {
  /** Final boost γ. Default 1.5 (the reference code; equal to CAME-Grad's default κ). */
  readonly gamma?: number;
}

/** Info of an MMPareto step. */
export interface MMParetoInfo {
  /** `uniform` when every pairwise cosine is > 0, else `mgda`. */
  readonly branch: 'uniform' | 'mgda';
  /** The combination weights w before the magnitude steps (1/K, or the MGDA min-norm weights). */
  readonly baseWeights: Float64Array;
  /** True when h was rescaled up to ‖Σ g_i‖. */
  readonly rescaled: boolean;
  /** True when h = K·Σ w_i g_i is 0 (0 ∈ conv{g_i}): it cannot be rescaled, so d = 0. */
  readonly degenerate: boolean;
}

/** Defaults of {@link createMMPareto}. */
export const MMPARETO_DEFAULTS = Object.freeze({ gamma: 1.5 });

/** ‖h‖ counts as zero at ≤ 1e-7·s_G (the project's zeroTol, came-grad.md §5). */
const ZERO_TOL = 1e-7;

/**
 * MMPareto (Wei & Hu, "MMPareto: Boosting Multimodal Learning with Innocent Unimodal Assistance",
 * ICML 2024, Alg. 1), generalised to K tasks by the project (mtl-methods.md §5): w = 1/K if every
 * pairwise cosine is > 0 (M_ij > 0), else the exact MGDA weights; h = K·Σ w_i g_i; if
 * ‖Σ g_i‖ > ‖h‖, h is rescaled to ‖Σ g_i‖; d = γ·h. For K = 2 this is the reference formula.
 * Deviations: the rescale acts on the whole shared vector (the reference does it per parameter
 * tensor, which is not a Gram weighting); a zero row has cosine 0 (torch's eps convention), so it
 * selects the MGDA branch, whose min-norm point is then 0 and d = 0 (the reference divides by 0).
 */
export function createMMPareto(options: MMParetoOptions = {}): Weighting<MMParetoInfo> {
  checkOptionKeys('mmpareto', options, ['gamma']);
  const gamma = checkNumber('mmpareto.gamma', options.gamma ?? MMPARETO_DEFAULTS.gamma, { min: 0, minOpen: true });
  return defineWeighting<MMParetoInfo>({
    id: 'mmpareto',
    options: { gamma },
    taskWeights: undefined,
    weigh: (gram) => {
      const K = gram.rows;
      const { gram: mt, scale } = normalizeGramian(gram);
      let allPositive = true;
      for (let i = 0; i < K && allPositive; i++) for (let j = i + 1; j < K; j++) if (!(mt.data[i * K + j]! > 0)) allPositive = false;
      const branch = allPositive ? 'uniform' : 'mgda';
      const base = allPositive ? new Float64Array(K).fill(1 / K) : minNormPoint(mt).weights;
      const zero = { weights: new Float64Array(K), info: { branch, baseWeights: base, rescaled: false, degenerate: true } } as const;
      if (scale === 0) return zero;
      const hNorm = K * Math.sqrt(quadForm(mt.data, K, base));
      if (!(hNorm > ZERO_TOL)) return zero;
      const sumNorm = Math.sqrt(quadForm(mt.data, K, new Float64Array(K).fill(1)));
      const rescaled = sumNorm > hNorm;
      const factor = gamma * K * (rescaled ? sumNorm / hNorm : 1);
      return { weights: base.map((b) => b * factor), info: { branch, baseWeights: base, rescaled, degenerate: false } };
    },
  });
}
