import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveSeed, disposeBatch, startTaskReplica, toTrainBatch } from '@came-grad/backbones';
import type { StepContext, TaskReplica, TrainBatch } from '@came-grad/backbones';
import type { BatchCursor } from '@came-grad/datasets';
import { CliError } from '../cli-error';
import { toPlainBatch } from './batch-glue';
import { generateSplit, scoreGeneration } from './evaluate-split';
import { meanProbabilityOnPositives } from './validation-stats';
import { learningRateAt } from './lr-schedule';
import { initFromCheckpoint } from './init-from';
import { createRunOptimizer, taskParallelRefusal } from './run-optimizer';
import type { RunOptimizer } from './run-optimizer';
import type { RunStepOutcome } from './run-optimizer';
import {
  ensureDir, modelArrays, modelDigest, optimizerArrays, optimizerWeights, readCheckpoint, readRunConfig, restoreModel,
  runPath, writeCheckpoint, writeJsonAtomic,
} from './run-files';
import { openSession } from './session';
import type { Session } from './session';
import type { TaskReplicaWorkerData } from './task-replica-worker';
import { resolveTaskSelection, taskWeightsAt } from './task-selection';
import type { StepRecord, TrainOptions, TrainSummary } from './train-options';

/** What `run.json` holds: the options plus the vocabulary the model was built with. */
export interface RunConfig {
  readonly version: 1;
  readonly options: TrainOptions;
  readonly tokens: readonly string[];
}

/** The JSON state stored in a checkpoint next to the arrays. */
interface CheckpointState {
  readonly step: number;
  readonly cursor: BatchCursor;
  readonly bestValF1: number | null;
  readonly skippedSteps: number;
  readonly elapsedSeconds: number;
  /** The method's own state (loss weightings, RotoGrad); absent or null for aggregators. */
  readonly method?: object | null;
}

export interface TrainHooks {
  readonly onStep?: (record: StepRecord, total: number) => void;
  readonly onValidation?: (step: number, f1: number) => void;
  readonly onNotice?: (line: string) => void;
}

/**
 * Trains a backbone with a multi-task method on AdamW with warm-up + cosine decay, writing an
 * atomic checkpoint every `checkpointEvery` steps and at the end. With `resume`, a run restarts
 * from its checkpoint and ends with exactly the weights an uninterrupted run would have (same
 * backend): the step, the data cursor, the optimizer moments and the model all come back, and
 * every random draw of a step is derived from (seed, step).
 */
export async function train(requested: TrainOptions, resume: boolean, hooks: TrainHooks = {}): Promise<TrainSummary> {
  let options = requested;
  ensureDir(options.outDir);
  const checkpointPath = runPath(options.outDir, 'checkpoint');
  const resuming = resume && existsSync(checkpointPath);
  let tokens: readonly string[] | undefined;
  if (resuming) {
    const saved = readRunConfig<RunConfig>(options.outDir);
    assertSameRun(saved.options, options);
    tokens = saved.tokens;
  }
  let replica: TaskReplica | null = null;
  const session = await openSession(options, {
    backend: options.backend,
    outDir: options.outDir,
    ...(tokens === undefined ? {} : { tokens }),
    ...(hooks.onNotice === undefined ? {} : { onNotice: hooks.onNotice }),
  });
  try {
    if (options.tasks !== undefined) options = { ...options, tasks: resolveTaskSelection(session.adapter, options.tasks) };
    const refusal = options.taskParallel === true ? taskParallelRefusal(options, session.adapter) : null;
    if (refusal !== null) throw new CliError(refusal);
    replica = options.taskParallel === true ? await startRunReplica(options, session) : null;
    // Built before anything is written, so a refused method (rotograd on a backbone without a
    // shared representation) leaves no run.json or log behind to be mistaken for a run.
    const optimizer = createRunOptimizer(options, session.adapter, replica);
    if (!resuming && options.initFrom !== undefined) {
      // Before step 0 and before run.json: a refused source leaves no half-configured run behind.
      // On --resume the checkpoint already holds what the warm start produced (and more).
      try {
        hooks.onNotice?.(initFromCheckpoint(session.adapter, options.initFrom).line);
      } catch (error) {
        optimizer.dispose();
        throw error;
      }
    }
    if (!resuming) {
      writeJsonAtomic(runPath(options.outDir, 'config'), { version: 1, options, tokens: [...session.dataset.tokenizer.tokens] } satisfies RunConfig);
      writeFileSync(runPath(options.outDir, 'log'), '');
    }
    return await trainLoop(session, optimizer, options, resuming, hooks);
  } finally {
    await replica?.close();
    session.dispose();
  }
}

/** The built worker of `--task-parallel`, next to this module in `dist` (or in `dist` when running from the sources). */
function taskReplicaWorkerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('dist') ? join(here, 'task-replica-worker.js') : join(here, '..', '..', 'dist', 'task-replica-worker.js');
}

/** Starts the run's task replica: the same backbone, data, vocabulary and backend in a worker thread. */
async function startRunReplica(options: TrainOptions, session: Session): Promise<TaskReplica> {
  const user: TaskReplicaWorkerData = {
    spec: { backbone: options.backbone, size: options.size, backboneOverrides: options.backboneOverrides, dataDir: options.dataDir, dataset: options.dataset, seed: options.seed },
    backend: session.backend.candidate,
    tokens: [...session.dataset.tokenizer.tokens],
    outDir: options.outDir,
  };
  try {
    return await startTaskReplica({ worker: taskReplicaWorkerPath(), adapter: session.adapter, user });
  } catch (error) {
    throw new CliError(`--task-parallel: ${(error as Error).message}`);
  }
}

async function trainLoop(session: Session, optimizer: RunOptimizer, options: TrainOptions, resuming: boolean, hooks: TrainHooks): Promise<TrainSummary> {
  const { adapter, dataset } = session;
  const checkpointPath = runPath(options.outDir, 'checkpoint');
  let state: CheckpointState = { step: 0, cursor: { epoch: 0, position: 0 }, bestValF1: null, skippedSteps: 0, elapsedSeconds: 0 };
  if (resuming) {
    const checkpoint = readCheckpoint<CheckpointState>(checkpointPath);
    restoreModel(adapter, checkpoint.arrays, checkpointPath);
    const weights = optimizerWeights(checkpoint.arrays);
    await optimizer.setWeights(weights);
    weights.forEach((w) => w.tensor.dispose());
    state = checkpoint.state;
    optimizer.setState(state.method ?? null);
    truncateLog(runPath(options.outDir, 'log'), state.step);
    hooks.onNotice?.(`resuming ${options.outDir} at step ${state.step}/${options.steps}`);
  }
  const resumedFrom = resuming ? state.step : null;
  const started = Date.now() - state.elapsedSeconds * 1000;
  const taskNames = adapter.tasks.map((t) => t.name);
  const recent: Record<string, number[]> = Object.fromEntries(taskNames.map((n) => [n, []]));
  let conflicts = 0;
  let observed = 0;
  let energySum = 0;
  let energyCount = 0;

  const stream = dataset.batches({
    split: 'train', batchSize: options.batchSize, seed: options.seed, epochs: Number.POSITIVE_INFINITY, cursor: state.cursor, dropLast: true,
  });
  const saveCheckpoint = async (): Promise<void> => {
    const arrays = [...modelArrays(adapter), ...(await optimizerArrays(await optimizer.getWeights()))];
    state = { ...state, elapsedSeconds: (Date.now() - started) / 1000, method: optimizer.getState() };
    writeCheckpoint(checkpointPath, { state, arrays });
  };

  try {
    while (state.step < options.steps) {
      const next = await stream.next();
      if (next.done === true) throw new CliError(`the train split of ${options.dataDir} has fewer than ${options.batchSize} studies`);
      const { batch, epoch, cursor } = next.value;
      const stepStarted = performance.now();
      const step = state.step;
      const ctx: StepContext = { training: true, step, epoch, seed: deriveSeed(options.seed, `step/${step}`), commitState: false };
      const omega = taskWeightsAt(adapter, options.tasks, step, epoch);
      const lr = learningRateAt({ peak: options.lr, warmupSteps: options.warmupSteps, totalSteps: options.steps, finalFraction: 0.1 }, step);
      optimizer.setLearningRate(lr);
      const tensors: TrainBatch = toTrainBatch(toPlainBatch(batch, adapter));
      let result: RunStepOutcome;
      try {
        // Only reachable with --tasks: every selected task is scheduled off at this step (WCL before
        // contraEpoch). Nothing to train, so the step is skipped like a non-finite one.
        result = omega.some((w) => w > 0) ? optimizer.step({ adapter, batch: tensors, ctx, omega }) : NO_ACTIVE_TASK;
        if (result.applied) adapter.commitState?.(tensors, { ...ctx, commitState: true });
      } finally {
        disposeBatch(tensors);
      }
      const dropped = taskNames.filter((_, i) => !((omega[i] as number) > 0));
      const record = stepRecord(step, epoch, lr, dropped, result, performance.now() - stepStarted);
      appendFileSync(runPath(options.outDir, 'log'), `${JSON.stringify(record)}\n`);
      if (result.applied) {
        for (const [name, value] of Object.entries(record.losses)) if (!dropped.includes(name)) (recent[name] as number[]).push(value);
        for (const list of Object.values(recent)) if (list.length > 10) list.shift();
        if (record.conflict !== null) {
          observed++;
          if (record.conflict) conflicts++;
        }
        if (record.energyRatio !== null) {
          energySum += record.energyRatio;
          energyCount++;
        }
      }
      state = { ...state, step: step + 1, cursor, skippedSteps: state.skippedSteps + (result.applied ? 0 : 1) };
      hooks.onStep?.(record, options.steps);
      const last = state.step === options.steps;
      if (options.valEvery > 0 && (state.step % options.valEvery === 0 || last)) await validate(session, options, state, hooks, (f1) => {
        state = { ...state, bestValF1: f1 };
      });
      if (state.step % options.checkpointEvery === 0 || last) await saveCheckpoint();
    }
  } finally {
    await stream.return?.(undefined);
    optimizer.dispose();
  }
  const losses = Object.fromEntries(
    Object.entries(recent).map(([name, list]) => [name, list.length === 0 ? Number.NaN : list.reduce((a, b) => a + b, 0) / list.length]),
  );
  return {
    steps: state.step,
    losses,
    seconds: (Date.now() - started) / 1000,
    weightsDigest: modelDigest(adapter),
    skippedSteps: state.skippedSteps,
    conflictRate: observed > 0 ? conflicts / observed : null,
    meanEnergyRatio: energyCount > 0 ? energySum / energyCount : null,
    bestValF1: state.bestValF1,
    backend: session.backend.candidate,
    resumedFrom,
  };
}

const NO_ACTIVE_TASK: RunStepOutcome = Object.freeze({
  applied: false, skipped: 'no active task', losses: {}, taskWeights: [], weights: null, lossWeights: null, diagnostics: null, info: null,
});

/** Validation CE-F1 (paper convention); saves `best.bin` when it improves. */
async function validate(session: Session, options: TrainOptions, state: CheckpointState, hooks: TrainHooks, setBest: (f1: number) => void): Promise<void> {
  if (session.dataset.sizes.val === 0) return;
  const generation = await generateSplit(session.adapter, session.dataset, {
    split: 'val', batchSize: options.batchSize, beamSize: options.beamSize, limit: options.valStudies,
    collectClassProbs: session.adapter.onValidation !== undefined,
  });
  const f1 = scoreGeneration(generation, { nlg: false }).ce.macro.f1;
  const meanPositiveProb = meanProbabilityOnPositives(generation);
  if (meanPositiveProb !== undefined) session.adapter.onValidation?.({ meanPositiveProb });
  appendFileSync(runPath(options.outDir, 'log'), `${JSON.stringify({ type: 'validation', step: state.step, ceF1: f1, studies: generation.ids.length })}\n`);
  hooks.onValidation?.(state.step, f1);
  if (state.bestValF1 === null || f1 > state.bestValF1) {
    setBest(f1);
    writeCheckpoint(runPath(options.outDir, 'best'), { state: { step: state.step, ceF1: f1 }, arrays: modelArrays(session.adapter) });
  }
}

function stepRecord(step: number, epoch: number, lr: number, dropped: string[], result: RunStepOutcome, ms: number): StepRecord {
  const d = result.diagnostics;
  const info = (result.info ?? {}) as { stages?: { rectNorm?: number | null; enNorm?: number | null; branch?: string } };
  return {
    type: 'step', step, epoch, lr,
    losses: result.losses,
    taskWeights: result.taskWeights,
    weights: result.weights,
    lossWeights: result.lossWeights,
    skipped: result.skipped,
    conflict: d === null ? null : d.anyConflict,
    energyRatio: d === null ? null : d.energyRatio,
    cosines: d === null ? null : d.cosines.map((row) => [...row]),
    norms: {
      joint: d === null ? null : Math.sqrt(Math.max(0, d.jointNormSq)),
      final: d === null ? null : d.finalNorm,
      rect: info.stages?.rectNorm ?? null,
      energized: info.stages?.enNorm ?? null,
    },
    branch: info.stages?.branch ?? null,
    methodInfo: result.lossWeights !== null || d === null ? methodInfoOf(result.info) : null,
    droppedTasks: dropped,
    ms: Math.round(ms * 10) / 10,
  };
}

/** The method's info as plain JSON numbers (typed arrays become arrays), for loss weightings and RotoGrad. */
function methodInfoOf(info: object | null): Record<string, unknown> | null {
  if (info === null) return null;
  return Object.fromEntries(Object.entries(info).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v]));
}

/** Keeps the log records of steps before `step` (a resumed run rewrites what follows). */
function truncateLog(path: string, step: number): void {
  if (!existsSync(path)) return;
  const kept = readFileSync(path, 'utf8').split('\n').filter((line) => {
    if (line === '') return false;
    try {
      return (JSON.parse(line) as { step: number }).step < step;
    } catch {
      return false;
    }
  });
  writeFileSync(path, kept.map((l) => `${l}\n`).join(''));
}

const SAME_RUN_KEYS = ['backbone', 'size', 'dataset', 'optimizer', 'seed', 'batchSize', 'steps', 'lr', 'paramScope', 'gradientMode', 'tasks', 'initFrom'] as const;

/** A key's value as compared on resume; `--tasks` is a set (run.json stores it in the backbone's order). */
function sameRunValue(options: TrainOptions, key: (typeof SAME_RUN_KEYS)[number]): string | undefined {
  if (key === 'tasks' && options.tasks !== undefined) return JSON.stringify([...new Set(options.tasks)].sort());
  return JSON.stringify(options[key]);
}

function assertSameRun(saved: TrainOptions, now: TrainOptions): void {
  for (const key of SAME_RUN_KEYS) {
    if (sameRunValue(saved, key) !== sameRunValue(now, key)) {
      throw new CliError(`--resume: ${key} was ${JSON.stringify(saved[key])} in ${now.outDir}, now ${JSON.stringify(now[key])}; resume with the same options or use a new --out`);
    }
  }
}
