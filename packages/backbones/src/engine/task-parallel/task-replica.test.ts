import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { MultiTaskOptimizer } from '@came-grad/optim-core/tfjs';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, toTrainBatch } from '../../batch/to-train-batch.js';
import type { BackboneAdapter, StepContext } from '../../contract.js';
import { createR2Gen } from '../../r2gen/adapter.js';
import { r2genTinyConfig } from '../../r2gen/tiny-config.js';
import { syntheticBatch } from '../../testing/synthetic-batch.js';
import { createDcl } from '../../dcl/adapter.js';
import { selectBackend } from '../select-backend.js';
import { startTaskReplica } from './task-replica.js';

const VOCAB = Array.from({ length: 40 }, (_, i) => (i === 0 ? '<unk>' : `w${i}`));
let workerFile = '';

beforeAll(async () => {
  await selectBackend('cpu');
  const outdir = fileURLToPath(new URL('../../../node_modules/.cache/came-grad-test/', import.meta.url));
  mkdirSync(outdir, { recursive: true });
  workerFile = `${outdir}task-replica-worker.mjs`;
  // tfjs-core's gradient registrations only load through a bundler.
  await build({
    entryPoints: [fileURLToPath(new URL('./fixture-worker.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: workerFile, logLevel: 'error',
    plugins: [{
      name: 'tfjs-external',
      setup(b) {
        b.onResolve({ filter: /^@tensorflow\/tfjs-(core|backend-cpu|backend-wasm)$/ }, (args) => ({ path: args.path, external: true }));
      },
    }],
  });
});

function weightsOf(adapter: BackboneAdapter): Float32Array[] {
  return adapter.parameters.map((p) => Float32Array.from(p.variable.dataSync() as Float32Array));
}

/** `steps` CAME-Grad steps of tiny r2gen; with a replica, task `cls` is differentiated in the worker. */
async function train(steps: number, parallel: boolean, breakAt?: number): Promise<{ weights: Float32Array[]; tensorsPerStep: number[] }> {
  const adapter = createR2Gen(r2genTinyConfig(VOCAB, 11));
  const replica = parallel ? await startTaskReplica({ worker: workerFile, adapter, user: { vocab: VOCAB, seed: 11, backend: 'cpu', breakAt } }) : null;
  const names = adapter.tasks.map((t) => t.name);
  const optimizer = new MultiTaskOptimizer({ inner: tf.train.adam(1e-3), method: 'came-grad', variables: adapter.parameters.map((p) => p.variable) });
  const tensorsPerStep: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const batch = toTrainBatch(syntheticBatch(adapter, 4, 100 + step));
      const ctx: StepContext = { training: true, step, epoch: 0, seed: 500 + step, commitState: false };
      try {
        const remote = replica?.begin(batch, ctx, ['cls'], names);
        const r = optimizer.step(() => { const l = adapter.forward(batch, ctx).losses; return names.map((n) => l[n]!); }, remote === undefined ? {} : { remote });
        expect(r.applied).toBe(true);
      } finally {
        disposeBatch(batch);
      }
      tensorsPerStep.push(tf.memory().numTensors);
    }
    return { weights: weightsOf(adapter), tensorsPerStep };
  } finally {
    await replica?.close();
    optimizer.dispose();
    adapter.dispose();
  }
}

describe('task replica (the second task on the second core)', () => {
  it('trains to the same weights as the one-thread CAME-Grad step, bit for bit, without leaking tensors', async () => {
    const alone = await train(3, false);
    const parallel = await train(3, true);
    expect(parallel.weights).toEqual(alone.weights);
    expect(new Set(parallel.tensorsPerStep).size).toBe(1);
  }, 60_000);

  it('reports a failure in the worker with the step, and recovers nothing silently', async () => {
    await expect(train(3, true, 1)).rejects.toThrow(/task replica failed at step 1: forward failed at step 1/);
  }, 60_000);

  it('refuses a backbone with per-step state and a worker whose model differs', async () => {
    const dcl = createDcl({ vocab: VOCAB, imageSize: 32, views: 2, channels: 1, maxSeqLength: 12 });
    await expect(startTaskReplica({ worker: workerFile, adapter: dcl, user: { vocab: VOCAB, seed: 11, backend: 'cpu' } })).rejects.toThrow(/`dcl` commits state/);
    dcl.dispose();
    const wide = createR2Gen({ ...r2genTinyConfig(VOCAB, 11), dModel: 16, heads: 2 });
    await expect(startTaskReplica({ worker: workerFile, adapter: wide, user: { vocab: VOCAB, seed: 11, backend: 'cpu' } })).rejects.toThrow(/differs from this thread's: parameter \d+ is/);
    wide.dispose();
  }, 60_000);
});
