import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlainBatch } from '../batch/plain-batch';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneAdapter, BackboneConfig } from '../contract';
import { describeBackboneContract } from '../testing/contract-suite';
import { syntheticBatch } from '../testing/synthetic-batch';
import { createWcl } from './adapter';
import { kMeans } from './kmeans';
import { clusterContrastLoss } from './losses';
import { ReportClusters } from './report-clusters';
import { wclTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size'];
const tiny = wclTinyConfig(VOCAB) as unknown as BackboneConfig;

/** The synthetic batch of the suite (labels when the cls head asks for them) plus alternating cluster ids (two clusters per batch). */
function withClusters(adapter: BackboneAdapter, batchSize: number, seed: number): PlainBatch {
  const others = adapter.inputSpec.aux.filter((name) => name !== 'clusterId');
  const plain = syntheticBatch({ tokenizer: adapter.tokenizer, inputSpec: { ...adapter.inputSpec, aux: others, inferAux: [] } } as unknown as BackboneAdapter, batchSize, seed);
  return { ...plain, aux: { ...plain.aux, clusterId: { data: Int32Array.from({ length: batchSize }, (_, i) => i % 2), shape: [batchSize] } } };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeBackboneContract((config) => createWcl((config ?? tiny) as unknown as Parameters<typeof createWcl>[0]), { name: 'wcl', makeBatch: withClusters, steps: 1 });

const published = { ...wclTinyConfig(VOCAB), clsHead: false } as unknown as BackboneConfig;
describeBackboneContract((config) => createWcl((config ?? published) as unknown as Parameters<typeof createWcl>[0]), { name: 'wcl (published tasks, no cls head)', makeBatch: withClusters, steps: 1 });

describe('wcl', () => {
  it('has tasks lm 1 − λ and contrast λ, gated by the 1-based epoch, with the projections as contrast-only parameters', () => {
    const adapter = createWcl({ ...wclTinyConfig(VOCAB), clsHead: false, contraEpoch: 2 });
    try {
      expect(adapter.tasks.map((t) => [t.name, t.kind, t.weight])).toEqual([['lm', 'generation', 0.8], ['contrast', 'alignment', 0.2]]);
      const contrast = adapter.tasks[1];
      expect([0, 1, 2, 3].map((epoch) => contrast?.weightAt?.(0, epoch))).toEqual([0, 0, 0.2, 0.2]);
      expect(adapter.taskParameters['contrast']?.length).toBe(8);
      const lmNames = adapter.parameters.filter((p) => adapter.taskParameters['lm']?.includes(p.variable)).map((p) => p.name);
      expect(lmNames).toEqual(['decoder.norm.gamma', 'decoder.norm.beta', 'logit.weight', 'logit.bias']);
      expect(adapter.inputSpec.inferAux).toEqual([]);
    } finally {
      adapter.dispose();
    }
    const always = createWcl({ ...wclTinyConfig(VOCAB), clsHead: false });
    expect(always.tasks[1]?.weightAt?.(0, 0)).toBe(0.2);
    always.dispose();
  });

  it('with its cls head has task cls (weight clsWeight) whose only private parameters are the head, and returns class probabilities', () => {
    const adapter = createWcl({ ...wclTinyConfig(VOCAB), clsWeight: 0.5 });
    try {
      expect(adapter.tasks.map((t) => [t.name, t.weight])).toEqual([['lm', 0.8], ['contrast', 0.2], ['cls', 0.5]]);
      const clsNames = adapter.parameters.filter((p) => adapter.taskParameters['cls']?.includes(p.variable)).map((p) => p.name);
      expect(clsNames).toEqual(['clsHead.weight', 'clsHead.bias']);
      expect(adapter.inputSpec.aux).toEqual(['clusterId', 'labels14']);
      const batch = toTrainBatch(withClusters(adapter, 2, 3));
      const before = tf.memory().numTensors;
      const result = adapter.generate({ images: batch.images }, { beamSize: 1, maxLen: 4 });
      expect(result.clsProbs?.shape).toEqual([2, 14]);
      result.clsProbs?.dispose();
      expect(tf.memory().numTensors).toBe(before);
      disposeBatch(batch);
    } finally {
      adapter.dispose();
    }
  });

  it('computes the cluster-weighted contrastive loss of a hand-made case', () => {
    const value = (clusters: number[], temperature: number): number => tf.tidy(() => {
      const eye = tf.tensor2d([[1, 0], [0, 1]]);
      return clusterContrastLoss(eye, eye, tf.tensor1d(clusters, 'int32'), { temperature, baseTemperature: 1 }).dataSync()[0] as number;
    });
    // Same cluster: the other pair counts twice in the denominator.
    expect(value([0, 0], 1)).toBeCloseTo(Math.log(Math.E + 2) - 1, 6);
    expect(value([0, 1], 1)).toBeCloseTo(Math.log(Math.E + 1) - 1, 6);
    // τ = 0.1 both sharpens the logits and scales the loss by τ / base.
    expect(value([0, 0], 0.1)).toBeCloseTo(0.1 * Math.log(1 + 2 * Math.exp(-10)), 7);
    // One study: its only pair is the positive, so the loss is 0.
    const single = tf.tidy(() => clusterContrastLoss(tf.tensor2d([[0.6, 0.8]]), tf.tensor2d([[1, 0]]), tf.tensor1d([3], 'int32'), { temperature: 1, baseTemperature: 1 }).dataSync()[0]);
    expect(single).toBeCloseTo(0, 7);
  });

  it('clusters the training reports deterministically and gives training studies their ids through hostAux', () => {
    const normal = ['the heart is normal . the lungs are clear .', 'heart is normal . lungs are clear .', 'the heart size is normal . the lungs are clear .'];
    const effusion = ['left pleural effusion .', 'right pleural effusion .', 'small pleural effusion .'];
    const train = [...normal, ...effusion].map((report, i) => ({ id: `s${i}`, report }));
    const a = ReportClusters.fit({ train }, 2, 5);
    const ids = train.map((s) => a.clusterOf(s.id, s.report));
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(new Set(ids.slice(3)).size).toBe(1);
    expect(ids[0]).not.toBe(ids[3]);
    expect(train.map((s) => ReportClusters.fit({ train }, 2, 5).clusterOf(s.id, s.report))).toEqual(ids);
    // A report outside the corpus goes to the nearest centroid.
    expect(a.clusterOf('new', 'bilateral pleural effusion .')).toBe(ids[3]);

    const adapter = createWcl({ ...wclTinyConfig(VOCAB), clusters: 2 });
    try {
      expect(() => adapter.hostAux?.(train)).toThrow(/`prepare\(corpus\)` should run before `hostAux`/);
      adapter.prepare?.({ train });
      const aux = adapter.hostAux?.(train.slice(2, 5));
      expect(aux?.clusterId?.shape).toEqual([3]);
      expect(Array.from(aux?.clusterId?.data ?? [])).toEqual(ids.slice(2, 5).map((i) => i));
    } finally {
      adapter.dispose();
    }
  });

  it('runs k-means++ to the two obvious groups and is seed-deterministic', () => {
    const pts = [[0, 0], [0.1, 0], [0, 0.1], [5, 5], [5.1, 5], [5, 5.1]].map((p) => Float64Array.from(p));
    const { assignments, centroids } = kMeans(pts, 2, 11);
    expect(assignments[0]).toBe(assignments[2]);
    expect(assignments[3]).toBe(assignments[5]);
    expect(assignments[0]).not.toBe(assignments[3]);
    const c = centroids[assignments[3] as number] as Float64Array;
    expect(c[0]).toBeCloseTo(5.1 / 3 + 10 / 3, 12);
    expect(Array.from(kMeans(pts, 2, 11).assignments)).toEqual(Array.from(assignments));
  });

  it('generates from the images alone and rejects a batch without cluster ids for the contrast', () => {
    const adapter = createWcl(wclTinyConfig(VOCAB));
    const batch = toTrainBatch(withClusters(adapter, 2, 3));
    try {
      expect(adapter.generate({ images: batch.images }, { beamSize: 2, maxLen: 4 }).texts).toHaveLength(2);
      const bare = { images: batch.images, reportIds: batch.reportIds, reportMask: batch.reportMask };
      const ctx = { training: true, step: 0, epoch: 0, seed: 1, commitState: false };
      expect(() => adapter.forward(bare, ctx, ['contrast'])).toThrow(/`batch.aux.clusterId` should be a \[B\] int32 tensor/);
      const lmOnly = adapter.forward(bare, ctx, ['lm']).losses;
      expect(Number.isFinite(lmOnly['lm']?.dataSync()[0])).toBe(true);
      tf.dispose(Object.values(lmOnly));
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('starts near the uniform-prediction loss ln(V + 1) and learns a fixed batch with both losses', () => {
    const adapter = createWcl({ ...wclTinyConfig(VOCAB), views: 1, dropout: 0, attEmbedDropout: 0 });
    const batch = toTrainBatch(withClusters(adapter, 2, 3));
    const optimizer = tf.train.adam(3e-2);
    const ctx = { training: true, step: 0, epoch: 0, seed: 1, commitState: false };
    const lossesAt = (): Record<string, number> => {
      const { losses } = adapter.forward(batch, ctx);
      const out = Object.fromEntries(Object.entries(losses).map(([k, v]) => [k, v.dataSync()[0] as number]));
      tf.dispose(Object.values(losses));
      return out;
    };
    try {
      const first = lossesAt();
      expect(Math.abs((first['lm'] as number) - Math.log(VOCAB.length + 1))).toBeLessThan(1);
      for (let i = 0; i < 5; i++) {
        optimizer.minimize(() => {
          const { losses } = adapter.forward(batch, ctx);
          return tf.add(tf.mul(losses['lm'] as tf.Scalar, 0.8), tf.mul(losses['contrast'] as tf.Scalar, 0.2)) as tf.Scalar;
        });
      }
      const last = lossesAt();
      expect(last['lm']).toBeLessThan(0.7 * (first['lm'] as number));
      expect(last['contrast']).toBeLessThan(first['contrast'] as number);
    } finally {
      optimizer.dispose();
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('rejects a bad configuration naming the option', () => {
    expect(() => createWcl({ ...wclTinyConfig(VOCAB), contraLambda: 1.5 })).toThrow(/`contraLambda` should be a number in \[0, 1\]/);
    expect(() => createWcl({ ...wclTinyConfig(VOCAB), clusters: 1 })).toThrow(/`clusters` should be an integer ≥ 2/);
    expect(() => createWcl({ ...wclTinyConfig(VOCAB), heads: 3 })).toThrow(/heads/);
  });
});
