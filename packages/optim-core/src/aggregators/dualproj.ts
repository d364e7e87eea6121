import { projectDualCone } from '../gram/dual-cone';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkOptionKeys } from './options';
import { checkProjectionOptions, projectionMatrix, resolvePreference } from './upgrad';

/** Options of DualProj (mtl-methods.md §3.9): as UPGrad's. */
export interface DualProjOptions {
  /** Preference p: `mean` (p = 1/K, default) or explicit p ≥ 0 of length K. */
  readonly pref?: 'mean' | readonly number[];
  /** QP regularisation (default 0 = exact; > 0 uses torchjd's M/tr(M) + regEps·I). */
  readonly regEps?: number;
}

/** Info of a DualProj step. */
export interface DualProjInfo {
  /** β ≥ 0 of the projection (w = p + β). */
  readonly beta: Float64Array;
}

/** Defaults of {@link createDualProj}. */
export const DUALPROJ_DEFAULTS = Object.freeze({ pref: 'mean' as const, regEps: 0 });

/**
 * DualProj (Quinton & Rey, arXiv 2406.16232): d = π_C(Gᵀp), the projection of the
 * preference-weighted mean onto the dual cone C = {x : Gx ≥ 0}; K-space weights p + β with
 * β = argmin_{β≥0} ½βᵀMβ + βᵀMp (exact NNLS on the normalised Gram). Non-conflicting,
 * permutation-invariant, strongly stationary; not linear under scaling (one projection of a sum).
 */
export function createDualProj(options: DualProjOptions = {}): Weighting<DualProjInfo> {
  checkOptionKeys('dualproj', options, ['pref', 'regEps']);
  const { pref, regEps } = checkProjectionOptions('dualproj', options);
  return defineWeighting<DualProjInfo>({
    id: 'dualproj',
    options: { pref: typeof pref === 'string' ? pref : [...pref], regEps },
    taskWeights: undefined,
    weigh: (gram) => {
      const p = resolvePreference('dualproj', pref, gram.rows);
      const r = projectDualCone(projectionMatrix(gram, regEps), p);
      return { weights: r.coefficients, info: { beta: r.beta } };
    },
  });
}
