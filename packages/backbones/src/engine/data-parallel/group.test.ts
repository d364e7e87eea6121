import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { relativeError } from '../backend-compare.js';
import { createReferenceModel, referenceBatch, TINY_REFERENCE_CONFIG } from '../reference-model.js';
import { selectBackend } from '../select-backend.js';
import { startReplicaGroup } from './group.js';
import { adamRange, ADAM_DEFAULTS } from './shared-adam.js';

/** Bundles the fixture worker: tfjs-core's gradient registrations only load through a bundler. */
async function bundleWorker(): Promise<string> {
  const outdir = fileURLToPath(new URL('../../../node_modules/.cache/came-grad-test/', import.meta.url));
  mkdirSync(outdir, { recursive: true });
  const outfile = `${outdir}fixture-worker.mjs`;
  await build({
    entryPoints: [fileURLToPath(new URL('./fixture-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    plugins: [
      {
        name: 'tfjs-external',
        setup(b) {
          b.onResolve({ filter: /^@tensorflow\/tfjs-(core|backend-cpu|backend-wasm)$/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  });
  return outfile;
}

/** Full-batch training in this thread with the same Adam: what the replicas must reproduce. */
async function singleThreadReference(steps: number): Promise<{ params: Float32Array; losses: number[] }> {
  await selectBackend('cpu');
  const model = createReferenceModel(TINY_REFERENCE_CONFIG, 1, 'single');
  const batch = referenceBatch(TINY_REFERENCE_CONFIG);
  const size = model.variables.reduce((n, v) => n + v.size, 0);
  const params = new Float32Array(size);
  let offset = 0;
  for (const v of model.variables) {
    params.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  const m = new Float32Array(size);
  const s = new Float32Array(size);
  const losses: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const { value, grads } = tf.variableGrads(() => model.loss(batch), [...model.variables]);
    const flat = new Float32Array(size);
    offset = 0;
    for (const v of model.variables) {
      flat.set(grads[v.name]!.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    losses.push(value.dataSync()[0]!);
    tf.dispose([value, ...Object.values(grads)]);
    adamRange(params, m, s, [flat], 0, size, step, ADAM_DEFAULTS);
    offset = 0;
    for (const v of model.variables) {
      v.assign(tf.tensor(params.subarray(offset, offset + v.size), v.shape));
      offset += v.size;
    }
  }
  model.dispose();
  return { params, losses };
}

describe('startReplicaGroup', () => {
  it('two worker replicas on half batches train exactly like one full-batch trainer', async () => {
    const worker = await bundleWorker();
    const reference = await singleThreadReference(3);
    const group = await startReplicaGroup({ worker, replicas: 2, size: reference.params.length });
    try {
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) losses.push(await group.step());
      expect(relativeError(Float32Array.from(losses), Float32Array.from(reference.losses))).toBeLessThanOrEqual(1e-5);
      expect(relativeError(group.params, reference.params)).toBeLessThanOrEqual(1e-5);
    } finally {
      await group.close();
    }
  });
});

describe('startReplicaGroup failures', () => {
  it('rejects with the worker error and stops every replica when one cannot start', async () => {
    const dir = fileURLToPath(new URL('../../../node_modules/.cache/came-grad-test/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const broken = `${dir}broken-worker.mjs`;
    writeFileSync(broken, "import { workerData } from 'node:worker_threads';\nif (workerData.replica.rank === 1) throw new Error('replica 1 cannot load');\nsetInterval(() => {}, 1000);\n");
    await expect(startReplicaGroup({ worker: broken, replicas: 2, size: 4 })).rejects.toThrow('replica 1 cannot load');
  });
});
