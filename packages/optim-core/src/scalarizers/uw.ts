/**
 * UW, uncertainty weighting (Kendall, Gal & Cipolla, CVPR 2018, eq. 7 in the regression form
 * used by LibMTL and nash-mtl; mtl-methods.md §4.1):
 * L_UW = Σ_i ( ½·e^{−s_i}·L_i + ½·s_i ),  s_i = log σ_i² learnable, so λ_i = ½·e^{−s_i}.
 * The model sees λ; `update` steps s with ∂L_UW/∂s_i = ½ − ½·e^{−s_i}·L_i (stationary at s_i = log L_i).
 * Deviation: the reference trains s with the model's own optimizer; here s has its own float64
 * Adam (or SGD) with `lr`, which is the same update when the hyperparameters match.
 */
import type { MethodConfig } from '../types';
import { checkNumber, checkOptionKeys } from '../aggregators/options';
import {
  type ParameterOptimizerKind,
  type ParameterOptimizerState,
  checkOptimizerKind,
  copyOptimizerState,
  initialOptimizerState,
  optimizerStep,
  restoreOptimizerState,
} from './parameter-optimizer';
import type { Scalarizer, ScalarizerFeedback, ScalarizerOutput } from './scalarizer';
import { checkInitialised, checkStateVector, checkTaskCount, checkVector } from './options';
import { InvalidOptionError } from '../errors';

/** Options of {@link createUW}. */
export interface UWOptions {
  /** Initial log-variance s_i(0). Default 0 (nash-mtl; LibMTL uses −0.5). */
  readonly initLogVar?: number;
  /** Learning rate of s. Default 1e-3. */
  readonly lr?: number;
  /** Update rule of s. Default 'adam'. */
  readonly optimizer?: ParameterOptimizerKind;
}

/** Defaults of {@link createUW}. */
export const UW_DEFAULTS = Object.freeze({ initLogVar: 0, lr: 1e-3, optimizer: 'adam' as ParameterOptimizerKind });

/** UW state: the log-variances and their optimizer moments. */
export interface UWState {
  readonly logVars: readonly number[];
  readonly optimizer: ParameterOptimizerState;
}

/** Logged per step: s and the regulariser ½Σs_i that the total loss adds. */
export interface UWInfo {
  readonly logVars: readonly number[];
  readonly regularizer: number;
}

/** Create the UW loss weighting. */
export function createUW(options: UWOptions = {}): Scalarizer<UWState, UWInfo> {
  checkOptionKeys('uw', options, ['initLogVar', 'lr', 'optimizer']);
  const initLogVar = options.initLogVar ?? UW_DEFAULTS.initLogVar;
  if (typeof initLogVar !== 'number' || !Number.isFinite(initLogVar)) throw new InvalidOptionError('uw.initLogVar', 'a finite number', initLogVar);
  const lr = checkNumber('uw.lr', options.lr ?? UW_DEFAULTS.lr, { min: 0, minOpen: true });
  const kind = checkOptimizerKind('uw.optimizer', options.optimizer ?? UW_DEFAULTS.optimizer);
  const config = { initLogVar, lr, optimizer: kind };

  let K = 0;
  let s: number[] = [];
  let opt = initialOptimizerState(0);

  return {
    id: 'uw',
    requires: { lossesAfter: false, gradNorms: false },
    init(k) {
      K = checkTaskCount(k);
      s = new Array<number>(K).fill(initLogVar);
      opt = initialOptimizerState(K);
    },
    lossWeights(losses): ScalarizerOutput<UWInfo> {
      checkInitialised('uw', K);
      checkVector('losses', losses, K);
      return {
        weights: Float64Array.from(s, (si) => 0.5 * Math.exp(-si)),
        info: { logVars: [...s], regularizer: 0.5 * s.reduce((a, b) => a + b, 0) },
      };
    },
    update(feedback: ScalarizerFeedback) {
      checkInitialised('uw', K);
      const L = checkVector('losses', feedback.losses, K);
      const grad = s.map((si, i) => 0.5 - 0.5 * Math.exp(-si) * L[i]!);
      const next = optimizerStep(kind, s, grad, opt, lr, 0);
      s = next.params;
      opt = next.state;
    },
    endEpoch() {},
    getState: () => ({ logVars: [...s], optimizer: copyOptimizerState(opt) }),
    setState(state) {
      const k = checkTaskCount(Array.isArray(state.logVars) ? state.logVars.length : 0);
      const logVars = checkStateVector('logVars', state.logVars, k);
      opt = restoreOptimizerState('state.optimizer', state.optimizer, k);
      K = k;
      s = logVars;
    },
    toConfig: (): MethodConfig => ({ id: 'uw', options: { ...config } }),
    toString: () => `UW(initLogVar=${initLogVar}, lr=${lr}, optimizer=${kind})`,
  };
}
