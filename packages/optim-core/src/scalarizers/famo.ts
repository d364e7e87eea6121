/**
 * FAMO, fast adaptive multitask optimization (Liu, Liu, Stone & Liu, NeurIPS 2023, Alg. 1;
 * mtl-methods.md §4.4; the step order of `Cranial-XIX/FAMO` famo.py).
 * z = softmax(ξ), D_i = L_i − L*_i + ε, c = 1/Σ z_i/D_i: the model loss c·Σ z_i log D_i has
 * gradient Σ (c·z_i/D_i)∇L_i, so λ_i = c·z_i/D_i (Σλ = 1). After the model step, with the same
 * batch's new losses L′: δ_i = log D_i − log D′_i and ξ takes an Adam step (coupled L2 decay γ)
 * along (J_softmax)ᵀδ. Tasks whose log-loss fell less gain weight.
 */
import type { MethodConfig } from '../types';
import { checkNumber, checkOptionKeys } from '../aggregators/options';
import { InvalidOptionError, UndefinedResultError } from '../errors';
import { type ParameterOptimizerState, copyOptimizerState, initialOptimizerState, optimizerStep, restoreOptimizerState } from './parameter-optimizer';
import type { Scalarizer, ScalarizerOutput } from './scalarizer';
import { checkInitialised, checkStateVector, checkTaskCount, checkVector } from './options';
import { softmax, softmaxVjp } from './softmax';

/** Options of {@link createFAMO}. */
export interface FAMOOptions {
  /** Adam learning rate of the logits ξ. Default 0.025. */
  readonly lr?: number;
  /** Coupled L2 weight decay γ on ξ. Default 0.01 (famo.py; the experiment wrapper uses 1e-5). */
  readonly weightDecay?: number;
  /** Lower bounds L*_i of the losses (length K). Default all 0. */
  readonly minLosses?: readonly number[];
  /** The shift ε in D_i = L_i − L*_i + ε. Default 1e-8, as the reference. */
  readonly eps?: number;
}

/** Defaults of {@link createFAMO}. `minLosses: undefined` means all zero. */
export const FAMO_DEFAULTS = Object.freeze({ lr: 0.025, weightDecay: 0.01, minLosses: undefined, eps: 1e-8 });

/** FAMO state: the logits and their Adam moments. */
export interface FAMOState {
  readonly logits: readonly number[];
  readonly optimizer: ParameterOptimizerState;
}

/** Logged per step: the task distribution z and the normaliser c. */
export interface FAMOInfo {
  readonly z: readonly number[];
  readonly c: number;
}

/** Create the FAMO loss weighting. */
export function createFAMO(options: FAMOOptions = {}): Scalarizer<FAMOState, FAMOInfo> {
  checkOptionKeys('famo', options, ['lr', 'weightDecay', 'minLosses', 'eps']);
  const lr = checkNumber('famo.lr', options.lr ?? FAMO_DEFAULTS.lr, { min: 0, minOpen: true });
  const weightDecay = checkNumber('famo.weightDecay', options.weightDecay ?? FAMO_DEFAULTS.weightDecay, { min: 0 });
  const eps = checkNumber('famo.eps', options.eps ?? FAMO_DEFAULTS.eps, { min: 0 });
  const minLossesOption = options.minLosses;
  if (minLossesOption !== undefined && (!Array.isArray(minLossesOption) || minLossesOption.some((x) => typeof x !== 'number' || !Number.isFinite(x)))) {
    throw new InvalidOptionError('famo.minLosses', 'an array of finite numbers', minLossesOption);
  }
  const minLosses = minLossesOption === undefined ? undefined : [...minLossesOption];

  let K = 0;
  let logits: number[] = [];
  let opt = initialOptimizerState(0);

  const shifted = (what: string, L: readonly number[]): number[] =>
    L.map((Li, i) => {
      const D = Li - (minLosses?.[i] ?? 0) + eps;
      // Losses below L* make the logarithm undefined (Cranial-XIX/FAMO issue 9): refuse, never clamp.
      if (!(D > 0)) throw new UndefinedResultError('famo', `\`${what}[${i}]\` − minLosses[${i}] + eps should be > 0. Found ${D}`);
      return D;
    });

  return {
    id: 'famo',
    requires: { lossesAfter: true, gradNorms: false },
    init(k) {
      K = checkTaskCount(k);
      if (minLosses !== undefined && minLosses.length !== K) throw new InvalidOptionError('famo.minLosses', `an array of length K = ${K}`, minLosses);
      logits = new Array<number>(K).fill(0);
      opt = initialOptimizerState(K);
    },
    lossWeights(losses): ScalarizerOutput<FAMOInfo> {
      checkInitialised('famo', K);
      const D = shifted('losses', checkVector('losses', losses, K));
      const z = softmax(logits);
      let inv = 0;
      for (let i = 0; i < K; i++) inv += z[i]! / D[i]!;
      const c = 1 / inv;
      return { weights: Float64Array.from(z, (zi, i) => (c * zi) / D[i]!), info: { z, c } };
    },
    update(feedback) {
      checkInitialised('famo', K);
      const before = shifted('losses', checkVector('losses', feedback.losses, K));
      const after = shifted('lossesAfter', checkVector('lossesAfter', feedback.lossesAfter, K));
      const delta = before.map((d, i) => Math.log(d) - Math.log(after[i]!));
      const next = optimizerStep('adam', logits, softmaxVjp(softmax(logits), delta), opt, lr, weightDecay);
      logits = next.params;
      opt = next.state;
    },
    endEpoch() {},
    getState: () => ({ logits: [...logits], optimizer: copyOptimizerState(opt) }),
    setState(state) {
      const k = checkTaskCount(Array.isArray(state.logits) ? state.logits.length : 0);
      const nextLogits = checkStateVector('logits', state.logits, k);
      opt = restoreOptimizerState('state.optimizer', state.optimizer, k);
      K = k;
      logits = nextLogits;
    },
    toConfig: (): MethodConfig => ({
      id: 'famo',
      options: minLosses === undefined ? { lr, weightDecay, eps } : { lr, weightDecay, eps, minLosses: [...minLosses] },
    }),
    toString: () => `FAMO(lr=${lr}, weightDecay=${weightDecay}, eps=${eps}${minLosses === undefined ? '' : `, minLosses=[${minLosses.join(', ')}]`})`,
  };
}
