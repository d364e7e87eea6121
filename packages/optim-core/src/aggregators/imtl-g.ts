import { normalizeGramian } from '../gram/normalize';
import { symEigen } from '../gram/sym-eigen';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkOptionKeys } from './options';

/** Options of IMTL-G: none (mtl-methods.md §3.5 fixes the pseudo-inverse and its rcond). */
export type IMTLGOptions = Readonly<Record<string, never>>;

/** Info of an IMTL-G step. */
export interface IMTLGInfo {
  /** Eigenvalues of M̃ kept by the pseudo-inverse (> 1e-10·λ_max). */
  readonly rank: number;
  /** The common projection ⟨d, g_i⟩/‖g_i‖ (original scale) shared by all non-zero tasks; 0 when w = 0. */
  readonly projection: number;
  /** True when Σv = 0 (M = 0, or opposite rows), so that w = 0. */
  readonly degenerate: boolean;
}

/** Defaults of {@link createIMTLG}: none. */
export const IMTL_G_DEFAULTS = Object.freeze({});

/** Eigenvalues ≤ RCOND·λ_max are dropped from M⁺ (mtl-methods.md §3.5, like numpy's pinv). */
const RCOND = 1e-10;
/** Σv counts as zero below this fraction of the magnitude of its terms (cancellation floor). */
const SUM_ZERO_TOL = 1e-12;

/**
 * IMTL-G (Liu et al., "Towards Impartial Multi-task Learning", ICLR 2021, Eq. 9): the direction
 * whose projections on all unit task gradients are equal. With n_i = ‖g_i‖: v = M⁺n,
 * w = v/Σv (w = 0 if Σv = 0). M⁺ comes from the symmetric eigendecomposition of the normalised
 * Gram, dropping eigenvalues ≤ 1e-10·λ_max. Equal to the paper's closed form for full-rank G; like
 * torchjd (and unlike LibMTL's inverse) it also handles identical rows and zero rows.
 */
export function createIMTLG(options: IMTLGOptions = {}): Weighting<IMTLGInfo> {
  checkOptionKeys('imtl-g', options, []);
  return defineWeighting<IMTLGInfo>({
    id: 'imtl-g',
    options: {},
    taskWeights: undefined,
    weigh: (gram) => {
      const K = gram.rows;
      const { gram: mt, scale } = normalizeGramian(gram);
      const zero = { weights: new Float64Array(K), info: { rank: 0, projection: 0, degenerate: true } };
      if (scale === 0) return zero;
      const n = new Float64Array(K);
      for (let i = 0; i < K; i++) n[i] = Math.sqrt(Math.max(0, mt.data[i * (K + 1)]!));
      const { values, vectors } = symEigen(mt);
      const lmax = values[K - 1]!;
      const v = new Float64Array(K);
      let magnitude = 0;
      let rank = 0;
      for (let k = 0; k < K; k++) {
        const lambda = values[k]!;
        if (!(lambda > RCOND * lmax)) continue;
        rank += 1;
        let un = 0;
        let u1 = 0;
        for (let i = 0; i < K; i++) {
          un += vectors.data[i * K + k]! * n[i]!;
          u1 += Math.abs(vectors.data[i * K + k]!);
        }
        const coef = un / lambda;
        magnitude += Math.abs(coef) * u1;
        for (let i = 0; i < K; i++) v[i] = v[i]! + coef * vectors.data[i * K + k]!;
      }
      let sum = 0;
      for (let i = 0; i < K; i++) sum += v[i]!;
      if (!(Math.abs(sum) > SUM_ZERO_TOL * magnitude)) return { ...zero, info: { ...zero.info, rank } };
      const weights = v.map((x) => x / sum);
      // ⟨d, g_i⟩/‖g_i‖ = (M̃w)_i/ñ_i · s: report it at the first non-zero task.
      const i0 = n.findIndex((x) => x > 0);
      let mw = 0;
      for (let j = 0; j < K; j++) mw += mt.data[i0 * K + j]! * weights[j]!;
      return { weights, info: { rank, projection: (mw / n[i0]!) * Math.sqrt(scale), degenerate: false } };
    },
  });
}
