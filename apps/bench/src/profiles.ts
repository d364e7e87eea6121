import type { RunConfig } from './grid';

/** A named set of grid settings. */
export interface Profile {
  readonly name: string;
  readonly experiments: readonly string[];
  readonly seeds: readonly number[];
  readonly run: Pick<RunConfig, 'size' | 'steps' | 'batchSize' | 'lr' | 'valStudies' | 'beamSize' | 'testStudies'>;
  /** The generated synth-cxr set used when no `--dataset` is given. */
  readonly synth: { readonly studies: number; readonly imageSize: number; readonly seed: number };
  readonly costSteps: number;
  /** Whether the main table's `linear` runs log gradient dynamics (default true; see experiments.ts). */
  readonly linearDynamics?: boolean;
}

/**
 * `quick`: the main table only, one seed, tiny models and a short schedule, sized so that all
 * backbones × {linear, came-grad} finish within 20 minutes on a shared 2-core machine (measured
 * figures in the README). It shows that the pipeline works end to end; its numbers are not
 * evidence about the method.
 */
export const QUICK: Profile = Object.freeze<Profile>({
  name: 'quick',
  experiments: ['main'],
  seeds: [0],
  run: { size: 'tiny', steps: 60, batchSize: 8, lr: 5e-4, valStudies: 16, beamSize: 1, testStudies: 40 },
  synth: { studies: 240, imageSize: 32, seed: 7 },
  costSteps: 6,
});

/**
 * `short`: the main table after the shortest schedule in which the tiny models were measured to
 * start reading the image (README, "How long before a model reads the image"): 3,000 steps at
 * peak lr 2e-3 on 4,000 studies at 32 px, scored on 200 test studies. `linear` runs take one
 * backward pass (no dynamics columns), so its step time is the real baseline cost.
 */
export const SHORT: Profile = Object.freeze<Profile>({
  name: 'short',
  experiments: ['main'],
  seeds: [0],
  run: { size: 'tiny', steps: 3000, batchSize: 8, lr: 2e-3, valStudies: 64, beamSize: 1, testStudies: 200 },
  synth: { studies: 4000, imageSize: 32, seed: 1 },
  costSteps: 6,
  linearDynamics: false,
});

/** `full`: every experiment, three seeds, the `small` models, a real schedule, the whole test split. */
export const FULL: Profile = Object.freeze<Profile>({
  name: 'full',
  experiments: ['main', 'optimizers', 'ablation', 'sensitivity', 'dynamics', 'cost'],
  seeds: [0, 1, 2],
  run: { size: 'small', steps: 2000, batchSize: 16, lr: 5e-4, valStudies: 64, beamSize: 3, testStudies: 0 },
  synth: { studies: 2000, imageSize: 64, seed: 7 },
  costSteps: 30,
});

export const PROFILES: Readonly<Record<string, Profile>> = Object.freeze({ quick: QUICK, short: SHORT, full: FULL });
