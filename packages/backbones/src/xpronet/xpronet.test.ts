import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneConfig } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import { describeBackboneContract } from '../testing/contract-suite';
import { syntheticBatch } from '../testing/synthetic-batch';
import { createXProNet } from './adapter';
import { prototypeContrastLoss } from './prototype-contrast-loss';
import { prototypeTextHalves } from './prototype-init';
import { PrototypeMemory } from './prototype-memory';
import { xpronetTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size'];
const tiny = xpronetTinyConfig(VOCAB) as unknown as BackboneConfig;
const build = (config?: BackboneConfig): ReturnType<typeof createXProNet> => createXProNet((config ?? tiny) as unknown as Parameters<typeof createXProNet>[0]);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeBackboneContract(build, { name: 'xpronet', steps: 1 });

describe('xpronet', () => {
  it('has tasks lm 1, proto_img 1, proto_txt 0.1 and the label classifier; fusion, encoder and decoder reach lm only', () => {
    const adapter = build();
    try {
      expect(adapter.tasks.map((t) => [t.name, t.kind, t.weight])).toEqual([
        ['lm', 'generation', 1], ['proto_img', 'alignment', 1], ['proto_txt', 'alignment', 0.1], ['cls', 'classification', 1],
      ]);
      const names = (vars: readonly tf.Variable[] | undefined): string[] => adapter.parameters.filter((p) => vars?.includes(p.variable)).map((p) => p.name.split('.')[0] as string);
      expect([...new Set(names(adapter.sharedParameters))]).toEqual(['visual', 'attEmbed', 'prototypes', 'dimReduction', 'memory', 'embed']);
      expect([...new Set(names(adapter.taskParameters['lm']))]).toEqual(['fuse', 'encoder', 'decoder', 'logit']);
      expect(names(adapter.taskParameters['cls'])).toEqual(['clsHead', 'clsHead']);
      expect(adapter.inputSpec.inferAux).toEqual([]);
    } finally {
      adapter.dispose();
    }
  });

  it('computes the multi-label prototype contrast of hand-made cases', () => {
    const value = (features: number[][], labels: number[][]): number => tf.tidy(() =>
      prototypeContrastLoss(tf.tensor2d(features), tf.tensor2d(labels), { margin: 0.4, alpha: 1.5 }).dataSync()[0] as number);
    // Sharing class 0, labels differ in one of three label slots: target 1.5^(−1/3) against cosine 0.
    expect(value([[1, 0], [0, 1]], [[1, 0], [1, 1]])).toBeCloseTo((2 * 1.5 ** (-1 / 3)) / 4, 6);
    // Sharing nothing: hinge on cosine − margin (0.6 − 0.4) for both off-diagonal pairs.
    expect(value([[1, 0], [0.6, 0.8]], [[1, 0], [0, 1]])).toBeCloseTo(0.4 / 4, 6);
    // Unnormalised features are normalised first; a study without labels is its own negative (1 − 0.4).
    expect(value([[3, 0], [0, 2]], [[0, 0], [0, 1]])).toBeCloseTo(0.6 / 4, 6);
  });

  it('masks the prototypes a study may not read before the top-k', () => {
    const store = new ParameterStore(3);
    const memory = new PrototypeMemory(store, 'memory', { d: 4, heads: 2, topk: 2, dropout: 0 });
    try {
      const out = tf.tidy(() => {
        const queries = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
        const rows = tf.randomNormal([6, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
        const mask = tf.tensor2d([[1, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0]]);
        const changed = tf.concat([tf.slice(rows, [0, 0], [3, 4]), tf.mul(tf.slice(rows, [3, 0], [1, 4]), 1), tf.add(tf.slice(rows, [4, 0], [2, 4]), 5)]) as tf.Tensor2D;
        const a = memory.apply(queries, rows, mask, INFERENCE_SCOPE, '');
        const b = memory.apply(queries, changed, mask, INFERENCE_SCOPE, '');
        return Math.max(...(tf.abs(tf.sub(a, b)).dataSync() as Float32Array));
      });
      expect(out).toBe(0);
    } finally {
      store.dispose();
    }
  });

  it('initialises the text halves per class from the training reports, deterministically, in prepare', () => {
    const code = (positive: number[]): Int8Array => Int8Array.from({ length: 14 }, (_, c) => (positive.includes(c) ? 1 : -2));
    const train = [
      { id: 'a', report: 'the heart is normal . lungs are clear .', labels14: code([8]) },
      { id: 'b', report: 'heart is normal . the lungs are clear .', labels14: code([8]) },
      { id: 'c', report: 'left pleural effusion .', labels14: code([9]) },
      { id: 'd', report: 'right pleural effusion . heart is enlarged .', labels14: code([9, 1]) },
    ];
    const options = { numClasses: 14, prototypesPerClass: 2, textDim: 8, seed: 7 };
    const init = prototypeTextHalves({ train }, options);
    expect(init.initialised.map((x, c) => (x ? c : -1)).filter((c) => c >= 0)).toEqual([1, 8, 9]);
    expect(prototypeTextHalves({ train }, options).values).toEqual(init.values);
    // Class 1 has one report: both of its prototypes are that report's unit vector.
    const row = (r: number): number[] => Array.from(init.values.subarray(r * 8, r * 8 + 8));
    expect(row(2)).toEqual(row(3));
    expect(Math.hypot(...row(2))).toBeCloseTo(1, 5);

    const adapter = build();
    try {
      const protos = adapter.parameters.find((p) => p.name === 'prototypes')?.variable as tf.Variable;
      const before = Float32Array.from(protos.dataSync() as Float32Array);
      adapter.prepare?.({ train });
      const after = protos.dataSync() as Float32Array;
      const width = protos.shape[1] as number;
      const imageDim = width - 8;
      // Row 2 (class 1): image half kept, text half written; row 0 (class 0, no report): untouched.
      expect(Array.from(after.subarray(2 * width, 2 * width + imageDim))).toEqual(Array.from(before.subarray(2 * width, 2 * width + imageDim)));
      expect(Array.from(after.subarray(2 * width + imageDim, 3 * width))).toEqual(row(2).map((x) => Math.fround(x)));
      expect(Array.from(after.subarray(0, width))).toEqual(Array.from(before.subarray(0, width)));
    } finally {
      adapter.dispose();
    }
  });

  it('generates from predicted labels: the reference labels of the batch change nothing', () => {
    const adapter = build();
    const batch = toTrainBatch(syntheticBatch(adapter, 2, 5));
    const other = tf.onesLike(batch.aux?.labels14 as tf.Tensor2D) as tf.Tensor2D;
    try {
      const a = adapter.generate({ images: batch.images, aux: { labels14: batch.aux?.labels14 as tf.Tensor2D } }, { beamSize: 2, maxLen: 5 });
      const b = adapter.generate({ images: batch.images, aux: { labels14: other } }, { beamSize: 2, maxLen: 5 });
      const c = adapter.generate({ images: batch.images }, { beamSize: 2, maxLen: 5 });
      expect(b.texts).toEqual(a.texts);
      expect(c.texts).toEqual(a.texts);
      expect(a.clsProbs?.shape).toEqual([2, 14]);
      tf.dispose([a.clsProbs, b.clsProbs, c.clsProbs].filter((t): t is tf.Tensor2D => t !== undefined));
    } finally {
      other.dispose();
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('rejects missing labels and a bad configuration naming the field', () => {
    const adapter = build();
    const batch = toTrainBatch(syntheticBatch(adapter, 2, 5));
    try {
      const bare = { images: batch.images, reportIds: batch.reportIds, reportMask: batch.reportMask };
      expect(() => adapter.forward(bare, { training: true, step: 0, epoch: 0, seed: 1, commitState: false })).toThrow(/`batch.aux.labels14` should be a \[B, 14\] tensor/);
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
    expect(() => createXProNet({ ...xpronetTinyConfig(VOCAB), topk: 99 })).toThrow(/`topk` should be at most numClasses × prototypesPerClass = 28/);
    expect(() => createXProNet({ ...xpronetTinyConfig(VOCAB), alpha: 0.5 })).toThrow(/`alpha` should be a finite number ≥ 1/);
  });
});
