import type { Matrix } from '../types';

/** The branch of CAGrad / CAME-Grad S1 taken at a step (came-grad.md §4, §5). */
export type RectifyBranch = 'zero' | 'mean' | 'projection' | 'regular';

/**
 * Stage quantities that only a dual-based method (CAME-Grad, CAGrad) knows. A weighting reports them
 * as `info.stages`; {@link computeStepDiagnostics} copies them into the step diagnostics.
 */
export interface StageDiagnostics {
  readonly branch: RectifyBranch;
  /** α* (regular and projection branches), else null. */
  readonly dualWeights: Float64Array | null;
  /** λ = ρ‖μ‖/‖g_α*‖ (regular branch only). */
  readonly lambda: number | null;
  /** F* = min_i ⟨g_i, u_rect⟩ on the original scale (= s_G²·F̃*). */
  readonly dualValue: number | null;
  /** Duality-gap certificate on the normalised scale (came-grad.md §3.1). */
  readonly dualityGap: number | null;
  /** ‖u_rect‖ and ‖u_en‖ (null when the method has no such stage). */
  readonly rectNorm: number | null;
  readonly enNorm: number | null;
  /** min_i ⟨g_i, u_rect⟩. */
  readonly minInnerRect: number | null;
}

/**
 * The "double dilemma" diagnostics of came-grad.md §7, computed from M, ω and f before any
 * clipping. Ratios (cosines, energy ratio, dual weights, λ, branch, conflict flags) are invariant
 * under a common scaling of the gradients.
 */
export interface StepDiagnostics extends StageDiagnosticsOrNull {
  /** ‖g_i‖ = sqrt(M_ii). */
  readonly gradNorms: Float64Array;
  /** M_ij / sqrt(M_ii M_jj); null where either norm is 0. cosines[i][i] is 1 for a non-zero row. */
  readonly cosines: readonly (readonly (number | null)[])[];
  /** All (i, j), i < j, with M_ij < 0. */
  readonly conflictPairs: readonly (readonly [number, number])[];
  /** Whether any inner product is negative. */
  readonly anyConflict: boolean;
  /** conflictWithGeneration[k] = M_0k < 0 for k ≥ 1; entry 0 is always false. */
  readonly conflictWithGeneration: readonly boolean[];
  /** ‖g_joint‖² = ωᵀMω. */
  readonly jointNormSq: number;
  /** Σ_i ω_i² M_ii. */
  readonly weightedEnergy: number;
  /** 2Σ_{i<j} ω_i ω_j M_ij. */
  readonly interaction: number;
  /** 2Σ_{k≥1} ω_0 ω_k M_0k: the paper's cross terms with the report-generation task. */
  readonly interactionWithGeneration: number;
  /** ‖g_joint‖² / Σ_i‖ω_i g_i‖²; null if the denominator is 0. */
  readonly energyRatio: number | null;
  /** ‖g_final‖ = sqrt(fᵀMf). */
  readonly finalNorm: number;
  /** min_i ⟨g_i, g_final⟩ = min_i (Mf)_i. Negative: the update conflicts with some task. */
  readonly minInnerFinal: number;
  /** cos(g_final, g_joint); null if either is 0. */
  readonly cosFinalJoint: number | null;
  /** f, the returned weights. */
  readonly weights: Float64Array;
  /** ω used for the joint gradient of this step. */
  readonly taskWeights: Float64Array;
  /** Tasks the training wrapper removed at this step; empty at this level. */
  readonly droppedTasks: readonly number[];
}

type StageDiagnosticsOrNull = { readonly [K in keyof StageDiagnostics]: StageDiagnostics[K] | null };

/**
 * Computes the §7 diagnostics from the Gram matrix M, the task weights ω and the returned weights f,
 * merging the method's stage quantities when it reports them.
 */
export function computeStepDiagnostics(
  gram: Matrix, omega: Float64Array, f: Float64Array, stages?: StageDiagnostics,
): StepDiagnostics {
  const K = gram.rows;
  const M = gram.data;
  const gradNorms = new Float64Array(K);
  for (let i = 0; i < K; i++) gradNorms[i] = Math.sqrt(Math.max(0, M[i * (K + 1)] as number));
  const cosines: (number | null)[][] = [];
  const conflictPairs: [number, number][] = [];
  const conflictWithGeneration: boolean[] = new Array<boolean>(K).fill(false);
  let weightedEnergy = 0, interaction = 0, interactionWithGeneration = 0;
  for (let i = 0; i < K; i++) {
    const row: (number | null)[] = [];
    for (let j = 0; j < K; j++) {
      const mij = M[i * K + j] as number;
      const ni = gradNorms[i] as number, nj = gradNorms[j] as number;
      row.push(ni > 0 && nj > 0 ? clampCos(mij / Math.sqrt((M[i * (K + 1)] as number) * (M[j * (K + 1)] as number))) : null);
      if (j > i) {
        if (mij < 0) conflictPairs.push([i, j]);
        interaction += 2 * (omega[i] as number) * (omega[j] as number) * mij;
        if (i === 0) {
          conflictWithGeneration[j] = mij < 0;
          interactionWithGeneration += 2 * (omega[0] as number) * (omega[j] as number) * mij;
        }
      }
    }
    cosines.push(row);
    weightedEnergy += (omega[i] as number) ** 2 * (M[i * (K + 1)] as number);
  }
  const Mf = new Float64Array(K);
  let jointNormSq = 0, finalSq = 0, finalJoint = 0;
  for (let i = 0; i < K; i++) {
    let mf = 0, mw = 0;
    for (let j = 0; j < K; j++) {
      mf += (M[i * K + j] as number) * (f[j] as number);
      mw += (M[i * K + j] as number) * (omega[j] as number);
    }
    Mf[i] = mf;
    jointNormSq += (omega[i] as number) * mw;
    finalSq += (f[i] as number) * mf;
    finalJoint += (omega[i] as number) * mf;
  }
  jointNormSq = Math.max(0, jointNormSq);
  finalSq = Math.max(0, finalSq);
  let minInnerFinal = Infinity;
  for (let i = 0; i < K; i++) minInnerFinal = Math.min(minInnerFinal, Mf[i] as number);
  const finalNorm = Math.sqrt(finalSq);
  const jointNorm = Math.sqrt(jointNormSq);
  return {
    gradNorms,
    cosines,
    conflictPairs,
    anyConflict: conflictPairs.length > 0,
    conflictWithGeneration,
    jointNormSq,
    weightedEnergy,
    interaction,
    interactionWithGeneration,
    energyRatio: weightedEnergy > 0 ? jointNormSq / weightedEnergy : null,
    branch: stages?.branch ?? null,
    dualWeights: stages?.dualWeights ?? null,
    lambda: stages?.lambda ?? null,
    dualValue: stages?.dualValue ?? null,
    dualityGap: stages?.dualityGap ?? null,
    rectNorm: stages?.rectNorm ?? null,
    enNorm: stages?.enNorm ?? null,
    minInnerRect: stages?.minInnerRect ?? null,
    finalNorm,
    minInnerFinal,
    cosFinalJoint: finalNorm > 0 && jointNorm > 0 ? clampCos(finalJoint / (finalNorm * jointNorm)) : null,
    weights: Float64Array.from(f),
    taskWeights: Float64Array.from(omega),
    droppedTasks: [],
  };
}

/** Rounding can push |cos| a few ulps past 1. */
function clampCos(x: number): number {
  return Math.max(-1, Math.min(1, x));
}
