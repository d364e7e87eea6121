import { InvalidOptionError, ShapeError } from '../errors';
import { projectDualCone } from '../gram/dual-cone';
import { normalizeGramian } from '../gram/normalize';
import type { Matrix, Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkEnum, checkNumber, checkOptionKeys, checkWeightVector } from './options';

/** Options of UPGrad (mtl-methods.md §3.8). */
export interface UPGradOptions {
  /** Preference p: `mean` (p = 1/K, default) or explicit p ≥ 0 of length K. */
  readonly pref?: 'mean' | readonly number[];
  /**
   * Regularisation of the QP (default 0 = exact). regEps > 0 reproduces torchjd: the projections
   * use M/tr(M) + regEps·I (torchjd's default is 1e-4).
   */
  readonly regEps?: number;
}

/** Info of an UPGrad step. */
export interface UPGradInfo {
  /** Row i: the K-space coefficients e_i + β⁽ⁱ⁾ of π_C(g_i). */
  readonly projections: readonly Float64Array[];
}

/** Defaults of {@link createUPGrad}. */
export const UPGRAD_DEFAULTS = Object.freeze({ pref: 'mean' as const, regEps: 0 });

/**
 * UPGrad (Quinton & Rey, "Jacobian Descent for Multi-Objective Optimization", arXiv 2406.16232,
 * §3): d = Σ_i p_i·π_C(g_i), the preference-weighted mean of each task gradient projected onto the
 * dual cone C = {x : Gx ≥ 0}. In K-space π_C(g_i) ≅ e_i + β⁽ⁱ⁾, β⁽ⁱ⁾ = argmin_{β≥0} ½βᵀMβ + βᵀMe_i,
 * solved exactly (Lawson–Hanson NNLS with a KKT certificate) on the normalised Gram. Non-conflicting,
 * permutation-invariant, linear under scaling, strongly stationary.
 * Deviation from torchjd: no regularisation by default (torchjd's 1e-4 shifts d by ≈ 5e-4).
 */
export function createUPGrad(options: UPGradOptions = {}): Weighting<UPGradInfo> {
  checkOptionKeys('upgrad', options, ['pref', 'regEps']);
  const { pref, regEps } = checkProjectionOptions('upgrad', options);
  return defineWeighting<UPGradInfo>({
    id: 'upgrad',
    options: { pref: typeof pref === 'string' ? pref : [...pref], regEps },
    taskWeights: undefined,
    weigh: (gram) => {
      const K = gram.rows;
      const p = resolvePreference('upgrad', pref, K);
      const Q = projectionMatrix(gram, regEps);
      const w = new Float64Array(K);
      const projections: Float64Array[] = [];
      for (let i = 0; i < K; i++) {
        const e = new Float64Array(K);
        e[i] = 1;
        const c = projectDualCone(Q, e).coefficients;
        projections.push(c);
        for (let k = 0; k < K; k++) w[k] = w[k]! + p[i]! * c[k]!;
      }
      return { weights: w, info: { projections } };
    },
  });
}

/** Validates the `pref`/`regEps` pair shared by UPGrad and DualProj. */
export function checkProjectionOptions(
  method: string, options: { readonly pref?: unknown; readonly regEps?: unknown },
): { pref: 'mean' | readonly number[]; regEps: number } {
  const raw = options.pref ?? 'mean';
  let pref: 'mean' | readonly number[];
  if (typeof raw === 'string') pref = checkEnum(`${method}.pref`, raw, ['mean'] as const);
  else if (Array.isArray(raw) || ArrayBuffer.isView(raw)) pref = checkWeightVector(`${method}.pref`, raw);
  else throw new InvalidOptionError(`${method}.pref`, "'mean' or an array of finite numbers ≥ 0", raw);
  const regEps = checkNumber(`${method}.regEps`, options.regEps ?? 0, { min: 0 });
  return { pref, regEps };
}

/** p = 1/K for `mean`, else the given vector (its length must be K). */
export function resolvePreference(method: string, pref: 'mean' | readonly number[], K: number): Float64Array {
  if (pref === 'mean') return new Float64Array(K).fill(1 / K);
  if (pref.length !== K) throw new ShapeError(`${method}.pref`, `length ${K} (one per task of this Gram matrix)`, `length ${pref.length}`);
  return Float64Array.from(pref);
}

/**
 * The matrix the dual-cone QPs run on: M̃ = M/(tr M/K) when regEps = 0 (any positive multiple of M
 * gives the same projection), else torchjd's M/tr(M) + regEps·I = M̃/K + regEps·I.
 */
export function projectionMatrix(gram: Matrix, regEps: number): Matrix {
  const { gram: mt } = normalizeGramian(gram);
  if (regEps === 0) return mt;
  const K = mt.rows;
  const data = mt.data.map((v) => v / K);
  for (let i = 0; i < K; i++) data[i * (K + 1)] = data[i * (K + 1)]! + regEps;
  return { rows: K, cols: K, data };
}
