import type { GridRun, RunConfig } from '../src/grid';
import { runId } from '../src/grid';
import type { RunRecord } from '../src/run-record';

/** A run config for table and store tests (values chosen, not measured). */
export function testConfig(backbone: string, optimizer: string, seed: number): RunConfig {
  return {
    backbone, backboneDefaults: null, optimizer, optimizerOptions: {}, paramScope: 'all', gradientMode: 'parameters',
    diagnostics: true, dataset: 'synth-cxr', data: 'synth-cxr:test',
    size: 'tiny', steps: 2, batchSize: 4, lr: 5e-4, seed, valStudies: 4, beamSize: 1, testStudies: 4,
  };
}

export function testGridRun(backbone: string, optimizer: string, seed: number, unavailable: string | null = null): GridRun {
  const config = testConfig(backbone, optimizer, seed);
  return { id: runId(optimizer, config), variant: optimizer, experiments: ['main'], config, unavailable };
}

/**
 * A complete record whose CE-F1 (macro) is `f1` and whose test labels are `pred`/`ref` codes.
 * Other scores derive from `f1` so each column is distinguishable in rendered tables.
 */
export function testRecord(run: GridRun, f1: number, labels?: { pred: string[]; ref: string[] }, finishedAt = '2026-01-01T00:00:00.000Z'): RunRecord {
  const pred = labels?.pred ?? ['1.............'];
  const ref = labels?.ref ?? ['1.............'];
  return {
    schema: 1, id: run.id, variant: run.variant, experiments: run.experiments, config: run.config,
    versions: { node: 'v20', git: null }, backend: 'cpu', host: { platform: 'linux-x64', cpus: 2 },
    metrics: {
      n: pred.length,
      nlg: { bleu1: f1 + 0.1, bleu2: f1 + 0.05, bleu3: 0.02, bleu4: 0.01, meteor: 0.1, rougeL: 0.2, cider: 0.3 },
      ce: { macro: { precision: f1, recall: f1, f1 }, micro: { precision: 0.5, recall: 0.25, f1: 1 / 3 } },
    },
    baselines: { mostFrequentReport: { macro: { precision: 0, recall: 0, f1: 0 }, micro: { precision: 0, recall: 0, f1: 0 } }, allNegative: { macro: { precision: 0, recall: 0, f1: 0 }, micro: { precision: 0, recall: 0, f1: 0 } } },
    testLabels: { ids: pred.map((_, i) => `s${i}`), pred, ref },
    train: { losses: { lm: 4 }, bestValF1: null, resumedFrom: null },
    timings: { trainSeconds: 10, evalSeconds: 2, medianStepMs: run.variant === 'linear' ? 100 : 150 },
    peakRssMiB: run.variant === 'linear' ? 200 : 220,
    dynamics: {
      steps: 4, skippedSteps: 0, conflictShare: 0.5, meanEnergyRatio: 0.9, meanJointNorm: 1, meanFinalNorm: run.variant === 'linear' ? 1 : 1.5,
      medianStepMs: run.variant === 'linear' ? 100 : 150, branches: {},
      series: { step: [0, 1, 2, 3], conflictShare: [1, 0, 1, 0], energyRatio: [0.8, 0.9, 1, 0.9], jointNorm: [1, 1, 1, 1], finalNorm: [1, 1, 1, 1] },
    },
    finishedAt,
  };
}
