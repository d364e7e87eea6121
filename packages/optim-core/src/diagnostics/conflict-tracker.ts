import { ContractError } from '../errors';
import type { RectifyBranch, StepDiagnostics } from './step-diagnostics';

/** Per task pair (i < j) conflict statistics over the recorded steps. */
export interface PairConflictStats {
  readonly i: number;
  readonly j: number;
  /** Steps with M_ij < 0. */
  readonly negativeSteps: number;
  /** Steps where both gradients were non-zero (the cosine existed). */
  readonly observedSteps: number;
  /** negativeSteps / observedSteps, or null before any observation. */
  readonly negativeFraction: number | null;
  /** Mean cosine over the observed steps, or null. */
  readonly meanCosine: number | null;
}

/** Summary of the energy ratio ‖g_joint‖²/Σ‖ω_i g_i‖² over the steps where it was defined. */
export interface EnergyRatioStats {
  readonly count: number;
  readonly mean: number;
  /** Quantiles at 5, 25, 50, 75 and 95 % (linear interpolation between order statistics). */
  readonly quantiles: { readonly p05: number; readonly p25: number; readonly p50: number; readonly p75: number; readonly p95: number };
}

/** What {@link ConflictTracker.summary} returns. */
export interface ConflictSummary {
  readonly steps: number;
  readonly K: number | null;
  readonly pairs: readonly PairConflictStats[];
  readonly energyRatio: EnergyRatioStats | null;
  /** Fraction of steps with minInnerFinal < 0 (the update conflicts with some task), or null. */
  readonly finalConflictFraction: number | null;
  /** Steps per S1 branch; `none` counts methods that report no branch. */
  readonly branchCounts: Readonly<Record<RectifyBranch | 'none', number>>;
}

/** Serializable state of a tracker, for checkpoints. */
export interface ConflictTrackerState {
  readonly K: number | null;
  readonly steps: number;
  readonly negative: readonly number[];
  readonly observed: readonly number[];
  readonly cosineSum: readonly number[];
  readonly energyRatios: readonly number[];
  readonly finalConflicts: number;
  readonly branchCounts: Readonly<Record<RectifyBranch | 'none', number>>;
}

/**
 * Accumulates the per-step diagnostics of came-grad.md §7 over training: for each pair the
 * fraction of steps with a negative inner product and the mean cosine, the mean and quantiles of the
 * energy ratio, the fraction of steps whose final update conflicts with a task, and per-branch
 * counts. The only stateful piece of the diagnostics; the weightings stay pure.
 */
export class ConflictTracker {
  private K: number | null = null;
  private steps = 0;
  private negative: number[] = [];
  private observed: number[] = [];
  private cosineSum: number[] = [];
  private energyRatios: number[] = [];
  private finalConflicts = 0;
  private branchCounts: Record<RectifyBranch | 'none', number> = emptyBranches();

  /** Adds one step. All steps must have the same K (`ContractError` otherwise). */
  record(d: StepDiagnostics): void {
    const K = d.gradNorms.length;
    if (this.K === null) {
      this.K = K;
      const P = (K * (K - 1)) / 2;
      this.negative = new Array<number>(P).fill(0);
      this.observed = new Array<number>(P).fill(0);
      this.cosineSum = new Array<number>(P).fill(0);
    } else if (this.K !== K) {
      throw new ContractError('constant-K', `\`ConflictTracker.record\` should receive diagnostics with K = ${this.K}. Found K = ${K}.`);
    }
    const negatives = new Set(d.conflictPairs.map(([i, j]) => pairIndex(i, j, K)));
    let p = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++, p++) {
        const c = d.cosines[i]?.[j] ?? null;
        if (c !== null) {
          this.observed[p] = (this.observed[p] as number) + 1;
          this.cosineSum[p] = (this.cosineSum[p] as number) + c;
        }
        if (negatives.has(p)) this.negative[p] = (this.negative[p] as number) + 1;
      }
    }
    if (d.energyRatio !== null) this.energyRatios.push(d.energyRatio);
    if (d.minInnerFinal < 0) this.finalConflicts++;
    this.branchCounts[d.branch ?? 'none']++;
    this.steps++;
  }

  /** The statistics so far. */
  summary(): ConflictSummary {
    const K = this.K;
    const pairs: PairConflictStats[] = [];
    if (K !== null) {
      let p = 0;
      for (let i = 0; i < K; i++) {
        for (let j = i + 1; j < K; j++, p++) {
          const obs = this.observed[p] as number;
          pairs.push({
            i, j,
            negativeSteps: this.negative[p] as number,
            observedSteps: obs,
            negativeFraction: obs > 0 ? (this.negative[p] as number) / obs : null,
            meanCosine: obs > 0 ? (this.cosineSum[p] as number) / obs : null,
          });
        }
      }
    }
    return {
      steps: this.steps,
      K,
      pairs,
      energyRatio: energyStats(this.energyRatios),
      finalConflictFraction: this.steps > 0 ? this.finalConflicts / this.steps : null,
      branchCounts: { ...this.branchCounts },
    };
  }

  /** Forgets every recorded step. */
  reset(): void {
    this.setState({ K: null, steps: 0, negative: [], observed: [], cosineSum: [], energyRatios: [], finalConflicts: 0, branchCounts: emptyBranches() });
  }

  /** A JSON-serialisable copy of the state. */
  getState(): ConflictTrackerState {
    return {
      K: this.K, steps: this.steps,
      negative: [...this.negative], observed: [...this.observed], cosineSum: [...this.cosineSum],
      energyRatios: [...this.energyRatios], finalConflicts: this.finalConflicts,
      branchCounts: { ...this.branchCounts },
    };
  }

  /** Restores a state from {@link getState} (exact resume). */
  setState(s: ConflictTrackerState): void {
    this.K = s.K;
    this.steps = s.steps;
    this.negative = [...s.negative];
    this.observed = [...s.observed];
    this.cosineSum = [...s.cosineSum];
    this.energyRatios = [...s.energyRatios];
    this.finalConflicts = s.finalConflicts;
    this.branchCounts = { ...emptyBranches(), ...s.branchCounts };
  }
}

function pairIndex(i: number, j: number, K: number): number {
  return i * K - (i * (i + 1)) / 2 + (j - i - 1);
}

function emptyBranches(): Record<RectifyBranch | 'none', number> {
  return { zero: 0, mean: 0, projection: 0, regular: 0, none: 0 };
}

function energyStats(values: readonly number[]): EnergyRatioStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
  };
  return {
    count: values.length,
    mean: values.reduce((s, v) => s + v, 0) / values.length,
    quantiles: { p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) },
  };
}
