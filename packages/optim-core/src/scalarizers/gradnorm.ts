/**
 * GradNorm (Chen, Badrinarayanan, Lee & Rabinovich, ICML 2018, eqs. 1–2; mtl-methods.md §4.3).
 * With n_i = ‖∇_W L_i‖ (unweighted, from `feedback.gradNorms`): G_i = |w_i|·n_i, Ḡ = mean G,
 * r_i = L̃_i / mean L̃ with L̃_i = L_i/L_i(0), and L_grad = Σ|G_i − Ḡ·r_i^α| where the bracket is a
 * constant. So ∂L_grad/∂w_i = sign(G_i − Ḡr_i^α)·sign(w_i)·n_i; w takes one optimizer step and is
 * renormalised to Σw = K. L_i(0) is the loss of the first `update`.
 *
 * `libmtl: true` reproduces LibMTL's variant: w = K·softmax(s) with s learnable (no
 * renormalisation), L(0) = the mean loss of the first epoch, and λ = 1 (no learning) during it.
 */
import type { MethodConfig } from '../types';
import { checkNumber, checkOptionKeys } from '../aggregators/options';
import { ContractError, InvalidOptionError, NonFiniteError } from '../errors';
import {
  type ParameterOptimizerKind,
  type ParameterOptimizerState,
  checkOptimizerKind,
  copyOptimizerState,
  initialOptimizerState,
  optimizerStep,
  restoreOptimizerState,
} from './parameter-optimizer';
import type { Scalarizer, ScalarizerOutput } from './scalarizer';
import { checkInitialised, checkStateVector, checkTaskCount, checkVector } from './options';
import { softmax, softmaxVjp } from './softmax';

/** Options of {@link createGradNorm}. */
export interface GradNormOptions {
  /** Asymmetry α (the paper tunes it per problem). Default 1.5, LibMTL's default. */
  readonly alpha?: number;
  /** Learning rate of the loss weights. Default 1e-3. */
  readonly lr?: number;
  /** Update rule of the loss weights. Default 'adam'. */
  readonly optimizer?: ParameterOptimizerKind;
  /** LibMTL's variant (softmax parametrisation, first-epoch rules). Default false. */
  readonly libmtl?: boolean;
}

/** Defaults of {@link createGradNorm}. */
export const GRADNORM_DEFAULTS = Object.freeze({ alpha: 1.5, lr: 1e-3, optimizer: 'adam' as ParameterOptimizerKind, libmtl: false });

/** GradNorm state. `params` is w (paper) or s (LibMTL variant). */
export interface GradNormState {
  readonly params: readonly number[];
  /** L_i(0); null until known. */
  readonly initialLosses: readonly number[] | null;
  /** Closed epochs (LibMTL variant only uses it), and the running sums of the open one. */
  readonly epochs: number;
  readonly sums: readonly number[];
  readonly count: number;
  readonly optimizer: ParameterOptimizerState;
}

/** Logged per step: whether the weights are being learned yet (false in LibMTL's first epoch). */
export interface GradNormInfo {
  readonly learning: boolean;
}

/** Create the GradNorm loss weighting. */
export function createGradNorm(options: GradNormOptions = {}): Scalarizer<GradNormState, GradNormInfo> {
  checkOptionKeys('gradnorm', options, ['alpha', 'lr', 'optimizer', 'libmtl']);
  const alpha = checkNumber('gradnorm.alpha', options.alpha ?? GRADNORM_DEFAULTS.alpha, { min: 0 });
  const lr = checkNumber('gradnorm.lr', options.lr ?? GRADNORM_DEFAULTS.lr, { min: 0, minOpen: true });
  const kind = checkOptimizerKind('gradnorm.optimizer', options.optimizer ?? GRADNORM_DEFAULTS.optimizer);
  const libmtl = options.libmtl ?? GRADNORM_DEFAULTS.libmtl;
  if (typeof libmtl !== 'boolean') throw new InvalidOptionError('gradnorm.libmtl', 'a boolean', libmtl);

  let K = 0;
  let params: number[] = [];
  let initialLosses: number[] | null = null;
  let epochs = 0;
  let sums: number[] = [];
  let count = 0;
  let opt = initialOptimizerState(0);

  const learning = (): boolean => !libmtl || epochs >= 1;
  const currentWeights = (): number[] => {
    if (!libmtl) return [...params];
    if (!learning()) return new Array<number>(K).fill(1);
    return softmax(params).map((z) => K * z);
  };

  return {
    id: 'gradnorm',
    requires: { lossesAfter: false, gradNorms: true },
    init(k) {
      K = checkTaskCount(k);
      params = new Array<number>(K).fill(libmtl ? 0 : 1);
      initialLosses = null;
      epochs = 0;
      sums = new Array<number>(K).fill(0);
      count = 0;
      opt = initialOptimizerState(K);
    },
    lossWeights(losses): ScalarizerOutput<GradNormInfo> {
      checkInitialised('gradnorm', K);
      checkVector('losses', losses, K);
      return { weights: Float64Array.from(currentWeights()), info: { learning: learning() } };
    },
    update(feedback) {
      checkInitialised('gradnorm', K);
      const L = checkVector('losses', feedback.losses, K);
      if (libmtl && !learning()) {
        for (let i = 0; i < K; i++) sums[i]! += L[i]!;
        count += 1;
        return;
      }
      const n = checkVector('gradNorms', feedback.gradNorms, K);
      if (initialLosses === null) initialLosses = [...L];
      const L0 = initialLosses;
      const w = currentWeights();
      // G_i = ‖∇_W(w_i L_i)‖ = |w_i|·n_i, so ∂G_i/∂w_i = sign(w_i)·n_i.
      const G = w.map((wi, i) => Math.abs(wi) * n[i]!);
      const Gbar = G.reduce((a, b) => a + b, 0) / K;
      const ratio = L.map((Li, i) => Li / L0[i]!);
      const meanRatio = ratio.reduce((a, b) => a + b, 0) / K;
      const dLdw = G.map((Gi, i) => {
        const target = Gbar * (ratio[i]! / meanRatio) ** alpha;
        if (!Number.isFinite(target)) throw new NonFiniteError('gradnorm target Ḡ·r^α (is an initial loss 0?)', i, target);
        return Math.sign(Gi - target) * Math.sign(w[i]!) * n[i]!;
      });
      const grad = libmtl ? softmaxVjp(softmax(params), dLdw).map((g) => K * g) : dLdw;
      const next = optimizerStep(kind, params, grad, opt, lr, 0);
      opt = next.state;
      if (libmtl) {
        params = next.params;
        return;
      }
      const total = next.params.reduce((a, b) => a + b, 0);
      if (!(total > 0)) throw new ContractError('gradnorm-weights', `GradNorm's weights should have a positive sum to renormalise. Found ${total} (lower \`lr\`).`);
      params = next.params.map((wi) => (K * wi) / total);
    },
    endEpoch() {
      checkInitialised('gradnorm', K);
      if (libmtl && epochs === 0) {
        if (count === 0) throw new ContractError('epoch-not-empty', '`gradnorm.endEpoch()` should follow at least one `update`. Found an empty epoch.');
        initialLosses = sums.map((x) => x / count);
      }
      epochs += 1;
    },
    getState: () => ({
      params: [...params],
      initialLosses: initialLosses === null ? null : [...initialLosses],
      epochs,
      sums: [...sums],
      count,
      optimizer: copyOptimizerState(opt),
    }),
    setState(state) {
      const k = checkTaskCount(Array.isArray(state.params) ? state.params.length : 0);
      const nextParams = checkStateVector('params', state.params, k);
      const nextL0 = state.initialLosses === null ? null : checkStateVector('initialLosses', state.initialLosses, k);
      const nextSums = checkStateVector('sums', state.sums, k);
      for (const field of ['epochs', 'count'] as const) {
        if (!Number.isInteger(state[field]) || state[field] < 0) throw new InvalidOptionError(`state.${field}`, 'an integer ≥ 0', state[field]);
      }
      opt = restoreOptimizerState('state.optimizer', state.optimizer, k);
      K = k;
      params = nextParams;
      initialLosses = nextL0;
      epochs = state.epochs;
      sums = nextSums;
      count = state.count;
    },
    toConfig: (): MethodConfig => ({ id: 'gradnorm', options: { alpha, lr, optimizer: kind, libmtl } }),
    toString: () => `GradNorm(alpha=${alpha}, lr=${lr}, optimizer=${kind}, libmtl=${libmtl})`,
  };
}
