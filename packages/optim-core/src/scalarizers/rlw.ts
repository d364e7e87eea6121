/**
 * RLW, random loss weighting (Lin et al., TMLR 2022, §3; mtl-methods.md §4.5): each step
 * λ = softmax(z) with z ~ N(0, I_K), LibMTL's default distribution. The sample for the next
 * step is drawn in `update`, so `lossWeights` stays pure; the RNG state is part of the state,
 * so a resumed run draws the same sequence.
 */
import type { MethodConfig } from '../types';
import { checkOptionKeys } from '../aggregators/options';
import { ContractError } from '../errors';
import type { Scalarizer, ScalarizerOutput } from './scalarizer';
import { checkInitialised, checkStateVector, checkTaskCount, checkVector } from './options';
import { type RngState, createSeededRng } from './seeded-rng';
import { softmax } from './softmax';

/** Options of {@link createRLW}: none yet (other distributions of the paper are not implemented). */
export type RLWOptions = Readonly<Record<string, never>>;

/** Defaults of {@link createRLW}. */
export const RLW_DEFAULTS = Object.freeze({});

/** RLW state: the current sample and the RNG that draws the next one. */
export interface RLWState {
  readonly sample: readonly number[];
  readonly rng: RngState;
}

/** Logged per step: the normal sample z that produced λ (so a run can be audited). */
export interface RLWInfo {
  readonly sample: readonly number[];
}

/** Create the RLW loss weighting. `init(K, seed)` seeds its RNG (default seed 0). */
export function createRLW(options: RLWOptions = {}): Scalarizer<RLWState, RLWInfo> {
  checkOptionKeys('rlw', options, []);
  let K = 0;
  let rng = createSeededRng(0);
  let sample: number[] = [];
  const draw = (): number[] => Array.from({ length: K }, () => rng.nextNormal());

  return {
    id: 'rlw',
    requires: { lossesAfter: false, gradNorms: false },
    init(k, seed = 0) {
      K = checkTaskCount(k);
      rng = createSeededRng(seed);
      sample = draw();
    },
    lossWeights(losses): ScalarizerOutput<RLWInfo> {
      checkInitialised('rlw', K);
      checkVector('losses', losses, K);
      return { weights: Float64Array.from(softmax(sample)), info: { sample: [...sample] } };
    },
    update(feedback) {
      checkInitialised('rlw', K);
      checkVector('losses', feedback.losses, K);
      sample = draw();
    },
    endEpoch() {},
    getState: () => ({ sample: [...sample], rng: rng.getState() }),
    setState(state) {
      const k = checkTaskCount(Array.isArray(state.sample) ? state.sample.length : 0);
      const nextSample = checkStateVector('sample', state.sample, k);
      if (!Array.isArray(state.rng)) throw new ContractError('state', '`state.rng` should be four uint32 words. Found none.');
      const nextRng = createSeededRng(0);
      nextRng.setState(state.rng);
      K = k;
      sample = nextSample;
      rng = nextRng;
    },
    toConfig: (): MethodConfig => ({ id: 'rlw', options: {} }),
    toString: () => 'RLW(distribution=normal)',
  };
}
