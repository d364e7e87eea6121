import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlainBatch } from './plain-batch';
import { disposeBatch, toInferBatch, toTrainBatch } from './to-train-batch';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const plain: PlainBatch = {
  images: { data: new Float32Array(2 * 2 * 4 * 4 * 1).map((_, i) => i), shape: [2, 2, 4, 4, 1] },
  reportIds: { data: Int32Array.from([0, 5, 6, 0, 0, 7, 0, 0]), shape: [2, 4] },
  reportMask: { data: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0]), shape: [2, 4] },
  aux: { labels14: { data: new Float32Array(28).fill(1), shape: [2, 14] }, clusterId: { data: Int32Array.from([3, 4]), shape: [2] } },
};

describe('toTrainBatch', () => {
  it('converts every field with its shape and dtype, and disposes them all', () => {
    const before = tf.memory().numTensors;
    const batch = toTrainBatch(plain);
    expect(batch.images.shape).toEqual([2, 2, 4, 4, 1]);
    expect(batch.images.dataSync()[31]).toBe(31);
    expect([batch.reportIds.dtype, batch.reportMask.dtype]).toEqual(['int32', 'float32']);
    expect(Array.from(batch.reportMask.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(batch.aux?.labels14?.shape).toEqual([2, 14]);
    expect(batch.aux?.clusterId?.dtype).toBe('int32');
    disposeBatch(batch);
    const infer = toInferBatch(plain);
    expect(infer.images.shape).toEqual([2, 2, 4, 4, 1]);
    disposeBatch(infer);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the field whose shape, size or batch axis is wrong', () => {
    expect(() => toTrainBatch({ ...plain, images: { data: new Float32Array(3), shape: [3] } })).toThrow(/`images` should be a shape of rank 5/);
    expect(() => toTrainBatch({ ...plain, reportIds: { data: new Int32Array(5), shape: [2, 4] } })).toThrow(/`reportIds.data` should be 8 elements/);
    expect(() => toTrainBatch({ ...plain, reportMask: { data: new Float32Array(3), shape: [1, 3] } })).toThrow(/`reportMask.shape\[0\]` should be the batch size 2/);
    expect(() => toTrainBatch({ ...plain, aux: { labels14: { data: new Float32Array(14), shape: [1, 14] } } })).toThrow(/`aux.labels14.shape\[0\]`/);
    const { reportIds: _drop, ...noIds } = plain;
    expect(() => toTrainBatch(noIds)).toThrow(/`reportIds\/reportMask` should be present/);
  });

  it('turns CheXpert codes into binary targets (uncertain → 1 by default) and accepts a datasets batch as it is', () => {
    const codes = Int8Array.from([1, 0, -1, -2, ...new Array<number>(10).fill(0)]);
    // The shape of a `@came-grad/datasets` batch: extra fields, aux always present.
    const fromDatasets = {
      size: 1, ids: ['s1'], reports: ['no effusion .'],
      images: { data: new Float32Array(4), shape: [1, 1, 2, 2, 1] as const },
      reportIds: { data: Int32Array.from([0, 3, 0]), shape: [1, 3] as const },
      reportMask: { data: Float32Array.from([1, 1, 1]), shape: [1, 3] as const },
      aux: { labels14: { data: codes, shape: [1, 14] as const } },
    };
    const onesBatch = toTrainBatch(fromDatasets);
    expect(Array.from(onesBatch.aux?.labels14?.dataSync() ?? []).slice(0, 4)).toEqual([1, 0, 1, 0]);
    const zerosBatch = toTrainBatch(fromDatasets, { uncertainAs: 0 });
    expect(Array.from(zerosBatch.aux?.labels14?.dataSync() ?? []).slice(0, 4)).toEqual([1, 0, 0, 0]);
    disposeBatch(onesBatch);
    disposeBatch(zerosBatch);
    const bad = { ...fromDatasets, aux: { labels14: { data: Int8Array.from([5, ...codes.slice(1)]), shape: [1, 14] as const } } };
    expect(() => toTrainBatch(bad)).toThrow(/`aux.labels14.data\[0\]` should be a CheXpert code in \{1, 0, −1, −2\}. Found 5/);
  });
});
