import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BackendRequest } from '@came-grad/backbones';
import { RUN_FILES, generateSplit, openTrainedRun, scoreGeneration, train, trivialBaselines } from '@came-grad/cli';
import type { StepRecord, TrainOptions } from '@came-grad/cli';
import { labelReports } from '@came-grad/metrics';
import { parseStepLog, summarizeDynamics } from './dynamics';
import type { GridRun } from './grid';
import { RECORD_FILE } from './result-store';
import { encodeLabels } from './run-record';
import type { RunRecord } from './run-record';

/** What a worker needs besides the run. */
export interface ExecuteContext {
  readonly dataDir: string;
  /** The run directory (`<out>/runs/<id>`); a checkpoint there is resumed. */
  readonly runDir: string;
  readonly backend: BackendRequest;
  readonly onStep?: (record: StepRecord, total: number) => void;
}

/** The `train` options of a grid run; `linear` keeps R2Gen's value clipping, as `came-grad train` does. */
export function trainOptionsOf(run: GridRun, context: ExecuteContext): TrainOptions {
  const c = run.config;
  return {
    backbone: c.backbone,
    size: c.size,
    backboneOverrides: {},
    dataDir: context.dataDir,
    dataset: c.dataset,
    seed: c.seed,
    outDir: context.runDir,
    optimizer: c.optimizer,
    optimizerOptions: c.optimizerOptions,
    steps: c.steps,
    batchSize: c.batchSize,
    lr: c.lr,
    warmupSteps: Math.floor(c.steps * 0.05),
    weightDecay: 5e-5,
    paramScope: c.paramScope,
    gradientMode: c.gradientMode,
    diagnostics: c.diagnostics,
    clip: c.optimizer === 'linear' ? { value: 0.1 } : 'none',
    // Often enough that a killed run loses little, rarely enough that writing stays cheap.
    checkpointEvery: Math.max(1, Math.min(50, Math.ceil(c.steps / 4))),
    valEvery: 0,
    valStudies: c.valStudies,
    beamSize: c.beamSize,
    backend: context.backend,
  };
}

/**
 * Trains (or resumes) one run through the cli library, scores the selected weights on the test
 * split, and writes `record.json` atomically. Never reimplements training: `train`,
 * `openTrainedRun`, `generateSplit`, `scoreGeneration` and `trivialBaselines` do the work.
 */
export async function executeRun(run: GridRun, context: ExecuteContext): Promise<RunRecord> {
  if (run.unavailable !== null) throw new Error(`run ${run.id} cannot execute: ${run.unavailable}`);
  mkdirSync(context.runDir, { recursive: true });
  const resume = existsSync(join(context.runDir, RUN_FILES.checkpoint));
  const summary = await train(trainOptionsOf(run, context), resume, context.onStep === undefined ? {} : { onStep: context.onStep });
  const evalStart = performance.now();
  const { session } = await openTrainedRun(context.runDir, { backend: context.backend, weights: 'best' });
  let metrics: RunRecord['metrics'];
  let baselines: RunRecord['baselines'];
  let testLabels: RunRecord['testLabels'];
  try {
    const generation = await generateSplit(session.adapter, session.dataset, {
      split: 'test',
      batchSize: 16,
      beamSize: run.config.beamSize,
      limit: run.config.testStudies,
    });
    metrics = scoreGeneration(generation);
    const b = trivialBaselines(session.dataset, generation);
    const modeLabels = labelReports([b.mostFrequentReport.report])[0];
    baselines = {
      mostFrequentReport: {
        macro: b.mostFrequentReport.macro, micro: b.mostFrequentReport.micro, report: b.mostFrequentReport.report,
        ...(modeLabels === undefined ? {} : { labels: encodeLabels(modeLabels) }),
      },
      allNegative: b.allNegative,
    };
    testLabels = {
      ids: generation.ids,
      pred: labelReports(generation.hypotheses).map(encodeLabels),
      ref: labelReports(generation.rawReferences).map(encodeLabels),
    };
  } finally {
    session.dispose();
  }
  const evalSeconds = (performance.now() - evalStart) / 1000;
  const dynamics = summarizeDynamics(parseStepLog(readFileSync(join(context.runDir, RUN_FILES.log), 'utf8')));
  const record: RunRecord = {
    schema: 1,
    id: run.id,
    variant: run.variant,
    experiments: run.experiments,
    config: run.config,
    versions: versions(),
    backend: summary.backend,
    host: { platform: `${process.platform}-${process.arch}`, cpus: availableParallelism() },
    metrics,
    baselines,
    testLabels,
    train: { losses: summary.losses, bestValF1: summary.bestValF1, resumedFrom: summary.resumedFrom },
    timings: { trainSeconds: summary.seconds, evalSeconds, medianStepMs: dynamics.medianStepMs },
    // maxRSS is in KiB on Linux and macOS; each run has its own process, so this is the run's peak.
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    dynamics,
    finishedAt: new Date().toISOString(),
  };
  const path = join(context.runDir, RECORD_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record)}\n`);
  renameSync(`${path}.tmp`, path);
  return record;
}

function versions(): Record<string, string | null> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string | null> = { node: process.version };
  for (const name of ['cli', 'optim-core', 'backbones', 'metrics', 'datasets']) {
    try {
      out[name] = (require(`@came-grad/${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = null;
    }
  }
  try {
    out['git'] = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    out['git'] = null;
  }
  return out;
}
