/**
 * DWA, dynamic weight average (Liu, Johns & Davison, CVPR 2019, eq. 1; mtl-methods.md §4.2).
 * Epochs 1 and 2: λ = 1. From epoch 3: r_k = L̄_k(t−1)/L̄_k(t−2), λ = K·softmax(r/T).
 * L̄_k(t) is task k's mean training loss over epoch t, accumulated from `update` and closed by
 * `endEpoch`, so the weights are constant within an epoch.
 */
import type { MethodConfig } from '../types';
import { checkNumber, checkOptionKeys } from '../aggregators/options';
import { ContractError, NonFiniteError } from '../errors';
import type { Scalarizer, ScalarizerOutput } from './scalarizer';
import { checkInitialised, checkStateVector, checkTaskCount, checkVector } from './options';
import { softmax } from './softmax';

/** Options of {@link createDWA}. */
export interface DWAOptions {
  /** Temperature T of the softmax. Default 2. */
  readonly temperature?: number;
}

/** Defaults of {@link createDWA}. */
export const DWA_DEFAULTS = Object.freeze({ temperature: 2 });

/** DWA state: the running sums of the open epoch and the means of the last two closed epochs. */
export interface DWAState {
  readonly sums: readonly number[];
  readonly count: number;
  /** Mean losses of closed epochs, oldest first, at most two. */
  readonly history: readonly (readonly number[])[];
}

/** Logged per step: the loss-descent ratios r (null during the first two epochs). */
export interface DWAInfo {
  readonly ratios: readonly number[] | null;
}

/** Create the DWA loss weighting. */
export function createDWA(options: DWAOptions = {}): Scalarizer<DWAState, DWAInfo> {
  checkOptionKeys('dwa', options, ['temperature']);
  const temperature = checkNumber('dwa.temperature', options.temperature ?? DWA_DEFAULTS.temperature, { min: 0, minOpen: true });

  let K = 0;
  let sums: number[] = [];
  let count = 0;
  let history: number[][] = [];

  return {
    id: 'dwa',
    requires: { lossesAfter: false, gradNorms: false },
    init(k) {
      K = checkTaskCount(k);
      sums = new Array<number>(K).fill(0);
      count = 0;
      history = [];
    },
    lossWeights(losses): ScalarizerOutput<DWAInfo> {
      checkInitialised('dwa', K);
      checkVector('losses', losses, K);
      const [older, newer] = history;
      if (older === undefined || newer === undefined) return { weights: new Float64Array(K).fill(1), info: { ratios: null } };
      const r = newer.map((x, k) => x / older[k]!);
      r.forEach((x, k) => {
        if (!Number.isFinite(x)) throw new NonFiniteError('dwa loss ratio L̄(t−1)/L̄(t−2)', k, x);
      });
      return { weights: Float64Array.from(softmax(r, temperature), (z) => K * z), info: { ratios: r } };
    },
    update(feedback) {
      checkInitialised('dwa', K);
      const L = checkVector('losses', feedback.losses, K);
      for (let k = 0; k < K; k++) sums[k]! += L[k]!;
      count += 1;
    },
    endEpoch() {
      checkInitialised('dwa', K);
      if (count === 0) throw new ContractError('epoch-not-empty', '`dwa.endEpoch()` should follow at least one `update`. Found an empty epoch.');
      history = [...history, sums.map((x) => x / count)].slice(-2);
      sums = new Array<number>(K).fill(0);
      count = 0;
    },
    getState: () => ({ sums: [...sums], count, history: history.map((h) => [...h]) }),
    setState(state) {
      const k = checkTaskCount(Array.isArray(state.sums) ? state.sums.length : 0);
      const nextSums = checkStateVector('sums', state.sums, k);
      if (!Number.isInteger(state.count) || state.count < 0) throw new ContractError('state', `\`state.count\` should be an integer ≥ 0. Found ${state.count}.`);
      if (!Array.isArray(state.history) || state.history.length > 2) throw new ContractError('state', '`state.history` should hold at most two epochs.');
      const nextHistory = state.history.map((h, e) => checkStateVector(`history[${e}]`, h, k));
      K = k;
      sums = nextSums;
      count = state.count;
      history = nextHistory;
    },
    toConfig: (): MethodConfig => ({ id: 'dwa', options: { temperature } }),
    toString: () => `DWA(temperature=${temperature})`,
  };
}
