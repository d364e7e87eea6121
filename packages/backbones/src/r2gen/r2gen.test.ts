import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneConfig } from '../contract';
import { createBackbone } from '../registry';
import { describeBackboneContract } from '../testing/contract-suite';
import { syntheticBatch } from '../testing/synthetic-batch';
import { createR2Gen } from './adapter';
import { resolveR2GenConfig } from './config';
import { R2GenModel } from './model';
import { r2genTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size'];
const tiny = r2genTinyConfig(VOCAB) as unknown as BackboneConfig;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeBackboneContract((config) => createBackbone('r2gen', config ?? tiny), { name: 'r2gen (lm + cls)' });
// One view (the MIMIC-CXR layout) and no head: K = 1.
describeBackboneContract((config) => createBackbone('r2gen', config ?? { ...tiny, views: 1, clsHead: false }), { name: 'r2gen (lm only, one view)', steps: 1 });

describe('r2gen', () => {
  it('has tasks lm 1 and cls with the configured weight, and the visual extractor as the only shared part', () => {
    const adapter = createR2Gen({ ...r2genTinyConfig(VOCAB), clsWeight: 4 });
    try {
      expect(adapter.tasks.map((t) => [t.name, t.kind, t.weight])).toEqual([['lm', 'generation', 1], ['cls', 'classification', 4]]);
      const visual = adapter.parameters.filter((p) => p.name.startsWith('visual.')).map((p) => p.variable);
      expect(adapter.sharedParameters).toEqual(visual);
      expect(adapter.taskParameters['cls']?.length).toBe(2);
      expect(adapter.paramGroups?.map((g) => [g.name, g.lr, g.weightDecay])).toEqual([['visual', 5e-5, 5e-5], ['encoderDecoder', 1e-4, 5e-5]]);
    } finally {
      adapter.dispose();
    }
  });

  it('is a single task (K = 1) without the head, with nothing shared', () => {
    const adapter = createR2Gen({ ...r2genTinyConfig(VOCAB), clsHead: false });
    try {
      expect(adapter.tasks.map((t) => t.name)).toEqual(['lm']);
      expect(adapter.sharedParameters).toEqual([]);
      expect(adapter.taskParameters['lm']?.length).toBe(adapter.parameters.length);
      expect(adapter.inputSpec.aux).toEqual([]);
    } finally {
      adapter.dispose();
    }
  });

  it('starts near the uniform-prediction loss ln(V + 1) and learns a fixed batch', () => {
    const adapter = createR2Gen({ ...r2genTinyConfig(VOCAB), views: 1, dropout: 0, attEmbedDropout: 0 });
    const batch = toTrainBatch(syntheticBatch(adapter, 2, 3));
    const optimizer = tf.train.adam(3e-2);
    const ctx = { training: true, step: 0, epoch: 0, seed: 1, commitState: false };
    const lossAt = (): number => {
      const { losses } = adapter.forward(batch, ctx, ['lm']);
      const v = losses['lm']?.dataSync()[0] as number;
      tf.dispose(Object.values(losses));
      return v;
    };
    try {
      const first = lossAt();
      expect(Math.abs(first - Math.log(VOCAB.length + 1))).toBeLessThan(1);
      for (let i = 0; i < 6; i++) {
        optimizer.minimize(() => {
          const { losses } = adapter.forward(batch, ctx);
          return tf.add(losses['lm'] as tf.Scalar, losses['cls'] as tf.Scalar) as tf.Scalar;
        });
      }
      expect(lossAt()).toBeLessThan(0.7 * first);
    } finally {
      optimizer.dispose();
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('rejects images of the wrong shape and unknown tasks with messages naming them', () => {
    const adapter = createR2Gen(r2genTinyConfig(VOCAB));
    const batch = toTrainBatch(syntheticBatch(adapter, 1, 3));
    const ctx = { training: false, step: 0, epoch: 0, seed: 1, commitState: false };
    try {
      expect(() => adapter.forward(batch, ctx, ['bce'])).toThrow(/`only` should list tasks of r2gen \(lm, cls\)/);
      const small = tf.zeros([1, 2, 16, 16, 1]) as tf.Tensor5D;
      expect(() => adapter.generate({ images: small }, { beamSize: 1, maxLen: 3 })).toThrow(/`batch.images` should be \[B, 2, 32, 32, 1\]/);
      small.dispose();
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('rejects a bad configuration naming the option', () => {
    expect(() => createR2Gen({ ...r2genTinyConfig(VOCAB), heads: 3 })).toThrow(/heads/);
    expect(() => createR2Gen({ ...r2genTinyConfig(VOCAB), dropout: 1 })).toThrow(/`dropout` should be a rate in \[0, 1\)/);
    expect(() => createR2Gen({ vocab: ['a', 'b'] })).toThrow(/`vocab` should be a list containing <unk>/);
    expect(() => createBackbone('r2gen', { seed: 1 })).toThrow(/`vocab` should be an array of words/);
  });

  it('decodes incrementally (one memory step per token) exactly as the teacher-forced decoder', () => {
    const model = new R2GenModel(resolveR2GenConfig(r2genTinyConfig(VOCAB)), VOCAB.length + 1);
    const infer = { training: false, seed: 0 };
    try {
      tf.tidy(() => {
        const memory = model.encode(tf.randomNormal([2, 16, model.visual.outDim], 0, 1, 'float32', 3) as tf.Tensor3D, infer);
        const prefix = [[0, 3, 5, 7, 2], [0, 9, 9, 1, 4]];
        let rm = model.initialMemoryState(2);
        let history: tf.Tensor3D | undefined;
        for (let t = 1; t <= 5; t++) {
          const inputs = tf.tensor2d(prefix.flatMap((p) => p.slice(0, t)), [2, t], 'int32');
          const step = model.decodeStep(memory, inputs, rm, history);
          const full = tf.squeeze(tf.slice(model.decode(memory, inputs, infer), [0, t - 1, 0], [-1, 1, -1]), [1]);
          expect(tf.max(tf.abs(tf.sub(step.logits, full))).dataSync()[0]).toBeLessThan(1e-5);
          rm = step.rm;
          history = step.history;
        }
      });
    } finally {
      model.store.dispose();
    }
  });
});
