import type { BackendRequest } from '@came-grad/backbones';
import type { ClipOption, ParamScope } from '@came-grad/optim-core/tfjs';
import type { InitSource } from './init-from';
import type { RunSpec } from './session';

/** How per-task gradients are taken (ARCHITECTURE.md, optim-core). */
export type GradientMode = 'parameters' | 'representation';

/** Everything `came-grad train` needs; `run.json` stores it with the vocabulary. */
export interface TrainOptions extends RunSpec {
  readonly outDir: string;
  /**
   * Any optim-core aggregator id (`linear` = the backbone's own weighted sum), a loss weighting
   * (`uw`, `dwa`, `gradnorm`, `famo`, `rlw`), or `rotograd`.
   */
  readonly optimizer: string;
  /**
   * Options of the method (JSON), e.g. `{ "rho": 0.5 }` for `came-grad`, `{ "lr": 0.025 }` for
   * `famo`; `gradnorm` also takes `normParameters` (W), `rotograd` `burnIn`, `rotationLr`, `rotationSize`.
   */
  readonly optimizerOptions: Readonly<Record<string, unknown>>;
  readonly steps: number;
  readonly batchSize: number;
  /** Peak learning rate of the warm-up + cosine schedule (AdamW). */
  readonly lr: number;
  readonly warmupSteps: number;
  readonly weightDecay: number;
  readonly paramScope: ParamScope;
  readonly gradientMode: GradientMode;
  /**
   * Take per-task gradients and log the gradient dynamics (conflict, energy ratio, cosines) even for
   * methods that do not need them (`linear`), at the cost of K backward passes instead of one.
   */
  readonly diagnostics: boolean;
  /**
   * Differentiate every active task but the first in a worker thread holding a second replica of
   * the backbone (`--task-parallel`): the per-task gradients, and so the weights, are those of the
   * one-thread step; the other tasks' backward passes run on a second core. Absent in older run.json.
   */
  readonly taskParallel?: boolean;
  readonly clip: ClipOption;
  readonly checkpointEvery: number;
  /** Validate (generate, label, CE-F1) every this many steps; 0 = only at the end. */
  readonly valEvery: number;
  /** Validation studies used for model selection (the first N of the split); 0 = all. */
  readonly valStudies: number;
  readonly beamSize: number;
  readonly backend: BackendRequest;
  /**
   * The tasks trained (`--tasks`), in the backbone's order; the others get ω = 0 at every step, so
   * they are inactive and receive no gradient. Absent = every task.
   */
  readonly tasks?: readonly string[];
  /** A warm start (`--init-from`): weights loaded before step 0 from another run's checkpoint. */
  readonly initFrom?: InitSource;
}

/** What a finished `train` returns (and `--json` prints). */
export interface TrainSummary {
  readonly steps: number;
  /** Mean unweighted loss per task over the last `min(10, steps)` applied steps. */
  readonly losses: Record<string, number>;
  readonly seconds: number;
  readonly weightsDigest: string;
  readonly skippedSteps: number;
  /** Fraction of steps with a negative inner product between two task gradients. */
  readonly conflictRate: number | null;
  readonly meanEnergyRatio: number | null;
  readonly bestValF1: number | null;
  readonly backend: string;
  readonly resumedFrom: number | null;
}

/** One `log.jsonl` record of a training step. */
export interface StepRecord {
  readonly type: 'step';
  readonly step: number;
  readonly epoch: number;
  readonly lr: number;
  readonly losses: Record<string, number>;
  readonly taskWeights: number[];
  readonly weights: number[] | null;
  /** λ of a loss-weighting method (`uw`, `dwa`, `gradnorm`, `famo`, `rlw`); null otherwise (absent in logs of older versions). */
  readonly lossWeights?: number[] | null;
  readonly skipped: string | null;
  readonly conflict: boolean | null;
  readonly energyRatio: number | null;
  readonly cosines: (number | null)[][] | null;
  readonly norms: { joint: number | null; final: number | null; rect: number | null; energized: number | null };
  readonly branch: string | null;
  /** The per-step info of a loss weighting or RotoGrad (UW's log-variances, FAMO's z, RotoGrad's C and a_k). */
  readonly methodInfo?: Record<string, unknown> | null;
  readonly droppedTasks: string[];
  readonly ms: number;
}
