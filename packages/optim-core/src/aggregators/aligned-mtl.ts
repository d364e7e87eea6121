import { InvalidOptionError, ShapeError } from '../errors';
import { normalizeGramian } from '../gram/normalize';
import { symEigen } from '../gram/sym-eigen';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkEnum, checkOptionKeys, checkWeightVector } from './options';

/** Options of Aligned-MTL (mtl-methods.md §3.7). */
export interface AlignedMTLOptions {
  /**
   * σ² from the kept eigenvalues: `min` (default, the paper), `median` (the lower middle one for an
   * even count, as torch.median in the reference code) or `rmse` (their mean).
   */
  readonly scaleMode?: 'min' | 'median' | 'rmse';
  /** p in w = Bp: `sum` (p = 1, default: the original and LibMTL), `mean` (p = 1/K, torchjd), or explicit p ≥ 0. */
  readonly pref?: 'sum' | 'mean' | readonly number[];
}

/** Info of an Aligned-MTL step. */
export interface AlignedMTLInfo {
  /** Number of eigenpairs kept (> λ_max·K·2⁻²³). */
  readonly rank: number;
  /** σ² on the normalised scale (0 when M = 0). */
  readonly sigmaSq: number;
}

/** Defaults of {@link createAlignedMTL}. */
export const ALIGNED_MTL_DEFAULTS = Object.freeze({ scaleMode: 'min' as const, pref: 'sum' as const });

/** float32 machine epsilon 2⁻²³: the reference code's threshold is λ_max·K·ε_f32. */
const F32_EPS = 2 ** -23;

/**
 * Aligned-MTL (Senushkin et al., "Independent Component Alignment for Multi-Task Learning",
 * CVPR 2023, Eqs. 7–9): M̃ = VΛVᵀ; keep λ > λ_max·K·2⁻²³; σ = sqrt(λ_min | median | mean of kept);
 * B = σ·V_kΛ_k^{−1/2}V_kᵀ; w = Bp. The aligned rows BG are orthogonal with equal norms σ on the kept
 * eigenspace. The threshold is relative and B is invariant to the scale of G, so the method is
 * scale-equivariant. M = 0 gives w = 0.
 */
export function createAlignedMTL(options: AlignedMTLOptions = {}): Weighting<AlignedMTLInfo> {
  checkOptionKeys('aligned-mtl', options, ['scaleMode', 'pref']);
  const scaleMode = checkEnum('aligned-mtl.scaleMode', options.scaleMode ?? ALIGNED_MTL_DEFAULTS.scaleMode, ['min', 'median', 'rmse'] as const);
  const rawPref = options.pref ?? ALIGNED_MTL_DEFAULTS.pref;
  let pref: 'sum' | 'mean' | readonly number[];
  if (typeof rawPref === 'string') pref = checkEnum('aligned-mtl.pref', rawPref, ['sum', 'mean'] as const);
  else if (Array.isArray(rawPref) || ArrayBuffer.isView(rawPref)) pref = checkWeightVector('aligned-mtl.pref', rawPref);
  else throw new InvalidOptionError('aligned-mtl.pref', "'sum', 'mean' or an array of finite numbers ≥ 0", rawPref);
  return defineWeighting<AlignedMTLInfo>({
    id: 'aligned-mtl',
    options: { scaleMode, pref: typeof pref === 'string' ? pref : [...pref] },
    taskWeights: undefined,
    weigh: (gram) => {
      const K = gram.rows;
      const p = resolvePref(pref, K);
      const { gram: mt, scale } = normalizeGramian(gram);
      if (scale === 0) return { weights: new Float64Array(K), info: { rank: 0, sigmaSq: 0 } };
      const { values, vectors } = symEigen(mt);
      const threshold = values[K - 1]! * K * F32_EPS;
      const kept: number[] = [];
      for (let k = 0; k < K; k++) if (values[k]! > threshold) kept.push(k);
      const keptValues = kept.map((k) => values[k]!); // ascending
      let sigmaSq: number;
      if (scaleMode === 'min') sigmaSq = keptValues[0]!;
      else if (scaleMode === 'median') sigmaSq = keptValues[Math.floor((keptValues.length - 1) / 2)]!;
      else sigmaSq = keptValues.reduce((a, b) => a + b, 0) / keptValues.length;
      const sigma = Math.sqrt(sigmaSq);
      // w = σ·Σ_k (u_kᵀp/√λ_k)·u_k
      const w = new Float64Array(K);
      for (const k of kept) {
        let up = 0;
        for (let i = 0; i < K; i++) up += vectors.data[i * K + k]! * p[i]!;
        const coef = (sigma * up) / Math.sqrt(values[k]!);
        for (let i = 0; i < K; i++) w[i] = w[i]! + coef * vectors.data[i * K + k]!;
      }
      return { weights: w, info: { rank: kept.length, sigmaSq } };
    },
  });
}

function resolvePref(pref: 'sum' | 'mean' | readonly number[], K: number): Float64Array {
  if (pref === 'sum') return new Float64Array(K).fill(1);
  if (pref === 'mean') return new Float64Array(K).fill(1 / K);
  if (pref.length !== K) throw new ShapeError('aligned-mtl.pref', `length ${K} (one per task of this Gram matrix)`, `length ${pref.length}`);
  return Float64Array.from(pref);
}
