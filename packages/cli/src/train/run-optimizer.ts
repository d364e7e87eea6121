import type * as tf from '@tensorflow/tfjs-core';
import type { BackboneAdapter, StepContext, TaskReplica, TrainBatch } from '@came-grad/backbones';
import { AGGREGATOR_IDS, SCALARIZER_IDS, createScalarizer, createWeighting } from '@came-grad/optim-core';
import type { StepDiagnostics } from '@came-grad/optim-core';
import { LossWeightedOptimizer, RotoGradOptimizer } from '@came-grad/optim-core/tfjs';
import type { LossWeightedState, RotoGradState } from '@came-grad/optim-core/tfjs';
import { CliError } from '../cli-error';
import { createAggregatorOptimizer, createInnerOptimizer, trainedVariables } from './optimizer-setup';
import type { TrainOptions } from './train-options';

/** Every `--optimizer` id: the aggregators, the loss weightings, and RotoGrad. */
export const TRAIN_OPTIMIZER_IDS: readonly string[] = Object.freeze([...AGGREGATOR_IDS, ...SCALARIZER_IDS, 'rotograd']);

/** Backbones with the encodeShared/lossesFromShared split that RotoGrad needs (for the error message). */
const REPRESENTATION_BACKBONES = 'r2gen, wcl, xpronet, promptmrg, ddatr, revtaf';

/** One step's outcome in the trainer's terms, whatever the method family. */
export interface RunStepOutcome {
  readonly applied: boolean;
  readonly skipped: string | null;
  /** Task name → unweighted loss, for the tasks whose loss this step computed. */
  readonly losses: Record<string, number>;
  /** ω: the backbone's weights of the active tasks (the gate for loss weightings and RotoGrad). */
  readonly taskWeights: number[];
  /** The coefficients of the update: f (aggregators), λ masked by the gate (loss weightings), c_k (RotoGrad). */
  readonly weights: number[] | null;
  /** λ as a loss weighting gave it (`null` for other methods). */
  readonly lossWeights: number[] | null;
  readonly diagnostics: StepDiagnostics | null;
  /** The method's per-step info (CAME-Grad stages, UW's log-variances, RotoGrad's C, ...). */
  readonly info: object | null;
}

/** What a step needs from the training loop. */
export interface RunStepInput {
  readonly adapter: BackboneAdapter;
  readonly batch: TrainBatch;
  readonly ctx: StepContext;
  /** ω of every task at this step (schedules applied). */
  readonly omega: readonly number[];
}

/** The optimizer of a run, whichever family its `--optimizer` belongs to. */
export interface RunOptimizer {
  setLearningRate(lr: number): void;
  step(input: RunStepInput): RunStepOutcome;
  getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]>;
  setWeights(weights: { name: string; tensor: tf.Tensor }[]): Promise<void>;
  /** JSON state besides the tensors (loss weightings, RotoGrad), `null` for aggregators. */
  getState(): object | null;
  setState(state: object | null): void;
  dispose(): void;
}

/**
 * Why `--task-parallel` cannot apply to this run, or `null` when it can: it moves per-task backward
 * passes of one forward to a second thread, so it needs an aggregator that takes them (not `linear`
 * without `--diagnostics`, not the loss weightings or RotoGrad), parameter-level gradients, and a
 * backbone without per-step state.
 */
export function taskParallelRefusal(options: TrainOptions, adapter: BackboneAdapter): string | null {
  if (!(AGGREGATOR_IDS as readonly string[]).includes(options.optimizer)) {
    return `--task-parallel applies to the gradient aggregators; ${options.optimizer} takes one backward pass of weighted losses. Drop --task-parallel.`;
  }
  if (createWeighting(options.optimizer).gramFree === true && !options.diagnostics) {
    return `--task-parallel: ${options.optimizer} takes one backward pass of the weighted sum, so there is no second task gradient to move to another core. Drop --task-parallel or add --diagnostics.`;
  }
  if (options.gradientMode === 'representation') {
    return '--task-parallel applies to --gradient-mode parameters; representation mode already takes one encoder backward pass. Drop one of them.';
  }
  if (adapter.commitState !== undefined) {
    return `--task-parallel: ${adapter.name} keeps state across steps (its commitState hook) that a replica cannot mirror. Drop --task-parallel.`;
  }
  return null;
}

/**
 * Builds the run's optimizer: AdamW over the adapter's groups, driven by the chosen method. With a
 * task replica (`--task-parallel`, see {@link taskParallelRefusal}), every active task but the first
 * is differentiated in the replica's thread.
 */
export function createRunOptimizer(options: TrainOptions, adapter: BackboneAdapter, replica: TaskReplica | null = null): RunOptimizer {
  const aggregates = (AGGREGATOR_IDS as readonly string[]).includes(options.optimizer);
  if (!aggregates && options.paramScope === 'shared') {
    throw new CliError(`--param-scope shared applies to the gradient aggregators; ${options.optimizer} weights the losses of one backward pass over all parameters. Drop --param-scope.`);
  }
  if (SCALARIZER_IDS.includes(options.optimizer)) return lossWeighted(options, adapter);
  if (options.optimizer === 'rotograd') return rotoGrad(options, adapter);
  return aggregator(options, adapter, replica);
}

function aggregator(options: TrainOptions, adapter: BackboneAdapter, replica: TaskReplica | null): RunOptimizer {
  const optimizer = createAggregatorOptimizer(options, adapter);
  const names = adapter.tasks.map((t) => t.name);
  return {
    setLearningRate: (lr) => optimizer.setLearningRate(lr),
    step({ batch, ctx, omega }) {
      const active = names.filter((_, i) => (omega[i] as number) > 0);
      const activeWeights = omega.filter((w) => w > 0);
      const result = options.gradientMode === 'representation' && adapter.encodeShared && adapter.lossesFromShared
        ? optimizer.step(
          {
            encode: () => adapter.encodeShared!(batch, ctx),
            heads: (z) => { const l = adapter.lossesFromShared!(z, batch, ctx, active); return active.map((n) => l[n]!); },
          },
          { weights: activeWeights },
        )
        : optimizer.step(() => { const l = adapter.forward(batch, ctx, active).losses; return active.map((n) => l[n]!); }, {
          weights: activeWeights,
          ...(replica !== null && active.length > 1 ? { remote: replica.begin(batch, ctx, active.slice(1), active) } : {}),
        });
      return outcome(result, active, Array.from(result.taskWeights), { lossWeights: null, diagnostics: result.diagnostics, info: result.info });
    },
    getWeights: () => optimizer.getWeights(),
    setWeights: (w) => optimizer.setWeights(w),
    getState: () => null,
    setState: () => {},
    dispose: () => optimizer.dispose(),
  };
}

/**
 * UW, DWA, GradNorm, FAMO, RLW: the method learns the loss weights, so the backbone's ω only
 * gates tasks (ω_i = 0: observed, not trained). GradNorm's W is the adapter's shared parameters
 * (mtl-methods.md §4.3), or the `normParameters` named in `--optimizer-options`.
 */
function lossWeighted(options: TrainOptions, adapter: BackboneAdapter): RunOptimizer {
  const { normParameters, ...methodOptions } = options.optimizerOptions as { normParameters?: unknown } & Record<string, unknown>;
  let method;
  try {
    method = createScalarizer(options.optimizer, methodOptions);
  } catch (error) {
    throw new CliError(`--optimizer-options: ${(error as Error).message}`);
  }
  const names = adapter.tasks.map((t) => t.name);
  const optimizer = new LossWeightedOptimizer({
    inner: createInnerOptimizer(options, adapter),
    method,
    variables: trainedVariables(adapter),
    clip: options.clip,
    seed: options.seed,
    ...(method.requires.gradNorms ? { normVariables: normWeights(options, adapter, normParameters) } : {}),
  });
  return {
    setLearningRate: (lr) => optimizer.setLearningRate(lr),
    step({ batch, ctx, omega }) {
      const result = optimizer.step(
        () => { const l = adapter.forward(batch, ctx).losses; return names.map((n) => lossOf(l, n)); },
        { active: omega.map((w) => w > 0), epoch: ctx.epoch },
      );
      return outcome(result, names, [...omega], {
        lossWeights: result.lossWeights === null ? null : Array.from(result.lossWeights),
        diagnostics: null,
        info: result.info,
      });
    },
    getWeights: () => optimizer.getWeights(),
    setWeights: (w) => optimizer.setWeights(w),
    getState: () => optimizer.getState(),
    setState: (state) => {
      if (state !== null) optimizer.setState(state as LossWeightedState);
    },
    dispose: () => optimizer.dispose(),
  };
}

/** RotoGrad on the adapter's shared representation; each task's head reads its own rotation of it. */
function rotoGrad(options: TrainOptions, adapter: BackboneAdapter): RunOptimizer {
  if (adapter.encodeShared === undefined || adapter.lossesFromShared === undefined) {
    throw new CliError(`\`--optimizer rotograd\` needs a backbone with a shared representation (encodeShared): ${REPRESENTATION_BACKBONES}. Found \`${options.backbone}\`.`);
  }
  const allowed = ['burnIn', 'rotationLr', 'rotationSize'];
  const unknown = Object.keys(options.optimizerOptions).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new CliError(`--optimizer-options: rotograd takes ${allowed.join(', ')}. Found ${unknown.join(', ')}.`);
  let optimizer: RotoGradOptimizer;
  try {
    optimizer = new RotoGradOptimizer({
      inner: createInnerOptimizer(options, adapter),
      variables: trainedVariables(adapter),
      clip: options.clip,
      ...(options.optimizerOptions as { burnIn?: number; rotationLr?: number; rotationSize?: number }),
    });
  } catch (error) {
    throw new CliError(`--optimizer-options: ${(error as Error).message}`);
  }
  const names = adapter.tasks.map((t) => t.name);
  const encodeShared = adapter.encodeShared.bind(adapter);
  const lossesFromShared = adapter.lossesFromShared.bind(adapter);
  return {
    setLearningRate: (lr) => optimizer.setLearningRate(lr),
    step({ batch, ctx, omega }) {
      const result = optimizer.step(
        {
          encode: () => encodeShared(batch, ctx),
          taskLoss: (z, k) => lossOf(lossesFromShared(z, batch, ctx, [names[k] as string]), names[k] as string),
          tasks: names.length,
        },
        { active: omega.map((w) => w > 0), epoch: ctx.epoch },
      );
      return outcome(result, names, [...omega], {
        lossWeights: null,
        diagnostics: null,
        info: result.applied
          ? { C: result.C, alphas: Array.from(result.alphas ?? []), featureNorms: Array.from(result.featureNorms ?? []), rotationLoss: result.rotationLoss }
          : null,
      });
    },
    getWeights: () => optimizer.getWeights(),
    setWeights: (w) => optimizer.setWeights(w),
    getState: () => optimizer.getState(),
    setState: (state) => {
      if (state !== null) optimizer.setState(state as RotoGradState);
    },
    dispose: () => optimizer.dispose(),
  };
}

/** The trainer's view of a step, from whichever optimizer took it; `names` are the tasks whose losses the step computed. */
function outcome(
  result: { readonly applied: boolean; readonly skipped: string | null; readonly losses: Float64Array; readonly weights: Float64Array | null },
  names: readonly string[],
  taskWeights: number[],
  rest: Pick<RunStepOutcome, 'lossWeights' | 'diagnostics' | 'info'>,
): RunStepOutcome {
  return {
    applied: result.applied,
    skipped: result.skipped,
    losses: Object.fromEntries(names.map((name, i) => [name, result.losses[i] as number])),
    taskWeights,
    weights: result.weights === null ? null : Array.from(result.weights),
    ...rest,
  };
}

function lossOf<T>(losses: Record<string, T>, name: string): T {
  const loss = losses[name];
  if (loss === undefined) throw new CliError(`the backbone returned no loss for its task "${name}"`);
  return loss;
}

/** GradNorm's W: the named adapter parameters, or all shared ones. */
function normWeights(options: TrainOptions, adapter: BackboneAdapter, names: unknown): tf.Variable[] {
  if (names === undefined) {
    if (adapter.sharedParameters.length === 0) throw new CliError(`--optimizer ${options.optimizer}: backbone ${adapter.name} declares no shared parameters; name W with --optimizer-options '{"normParameters":[...]}'`);
    return [...adapter.sharedParameters];
  }
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    throw new CliError(`--optimizer-options: normParameters should be a non-empty array of parameter names. Found ${JSON.stringify(names)}.`);
  }
  const byName = new Map(adapter.parameters.map((p) => [p.name, p.variable]));
  return (names as string[]).map((n) => {
    const v = byName.get(n);
    if (v === undefined) throw new CliError(`--optimizer-options: normParameters names "${n}", which is not a parameter of ${adapter.name} (e.g. ${adapter.parameters.slice(0, 3).map((p) => p.name).join(', ')})`);
    return v;
  });
}
