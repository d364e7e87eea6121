import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneConfig } from '../contract';
import { createBackbone } from '../registry';
import { describeBackboneContract } from '../testing/contract-suite';
import { syntheticBatch } from '../testing/synthetic-batch';
import { createCamanet } from './adapter';
import { attentionConsistencyLoss, topWordMask } from './attention-consistency';
import { foregroundMap, minMaxNormalize } from './foreground-map';
import { camanetTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size'];
const tiny = camanetTinyConfig(VOCAB) as unknown as BackboneConfig;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeBackboneContract((config) => createBackbone('camanet', config ?? tiny), { name: 'camanet', steps: 1 });

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('camanet mechanism', () => {
  it('builds the foreground map from the predicted-positive classes only, min–max normalised, with no gradient', () => {
    // 1 sample, 3 patches, 2 channels, 2 classes; class 0 predicted positive (logit 1), class 1 not (logit −1).
    const tokens = tf.tensor3d([[[1, 0], [0, 2], [3, 1]]]);
    const w = tf.tensor2d([[1, 5], [1, -5]]);
    const logits = tf.tensor2d([[1, -1]]);
    // cam0 = [1, 2, 4] → max with the zeroed cam1 → [1, 2, 4] → (x − 1) / 3.
    expect(values(foregroundMap(tokens, w, logits))).toEqual([0, 1 / 3, 1].map(Math.fround));
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(foregroundMap(a as tf.Tensor3D, b as tf.Tensor2D, logits)))([tokens, w]);
    expect(g.every((x) => values(x).every((v) => v === 0))).toBe(true);
    // No class predicted positive: every CAM is 0 and the normalised map is all zeros.
    expect(values(foregroundMap(tokens, w, tf.tensor2d([[-1, -1]])))).toEqual([0, 0, 0]);
    expect(values(minMaxNormalize(tf.tensor2d([[2, 2, 2]])))).toEqual([0, 0, 0]);
  });

  it('keeps the min(⌊topk·T⌋, ⌈topk·len⌉) most similar word positions, ignoring padding', () => {
    const sim = tf.tensor2d([[0.1, 0.9, 0.5, 0.95, 0.99], [0.3, 0.2, 0.8, 0.1, 0.7]]);
    const mask = tf.tensor2d([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]]);
    // Row 0: len 4, ⌈0.5·4⌉ = 2 ≤ ⌊0.5·5⌋ = 2 → positions 3 (0.95) and 1 (0.9); 4 is padding.
    // Row 1: len 5, ⌈2.5⌉ = 3 > 2 → the two best, positions 2 and 4.
    expect(values(topWordMask(sim, mask, 0.5))).toEqual([0, 1, 0, 1, 0, 0, 0, 1, 0, 1]);
  });

  it('computes the VTAC MSE on a hand-made case, gated to samples with a positive label', () => {
    // B = 2, one head, T = 2 positions, N = 2 patches, d = 2.
    const probs = tf.tensor4d([[[[0.8, 0.2], [0.3, 0.7]]], [[[0.5, 0.5], [0.5, 0.5]]]]);
    const words = tf.tensor3d([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]);
    const anchor = tf.tensor2d([[1, 0], [0, 1]]);
    const seqMask = tf.ones([2, 2]) as tf.Tensor2D;
    const foreMap = tf.tensor2d([[0.5, 0.25], [1, 0]]);
    // topk 0.5 keeps one position per row: sample 0 keeps t = 0 (cos 1), so total = norm([0.8, 0.2]) = [1, 0].
    const loss = (labels: number[][]): number => attentionConsistencyLoss({
      probs, wordEmbeddings: words, anchor, seqMask, foreMap, labels: tf.tensor2d(labels), topk: 0.5,
    }).dataSync()[0] as number;
    // Only sample 0 is positive: ((1 − 0.5)² + (0 − 0.25)²) / (1 sample · 2 patches).
    expect(loss([[1, 0], [0, 0]])).toBeCloseTo((0.25 + 0.0625) / 2, 6);
    // Sample 1 keeps t = 1, attention [0.5, 0.5] → normalised [0, 0]: adds (1 + 0) to the sum over 2 samples.
    expect(loss([[1, 0], [0, 1]])).toBeCloseTo((0.25 + 0.0625 + 1) / 4, 6);
    expect(loss([[0, 0], [0, 0]])).toBe(0);
  });

  it('declares lm 1, bce 1, attn_mse 0.15 with the head private to bce and the DenseNet shared', () => {
    const adapter = createCamanet({ ...camanetTinyConfig(VOCAB), decoderLayers: 2, attnLayer: 0 });
    try {
      expect(adapter.tasks.map((t) => [t.name, t.weight])).toEqual([['lm', 1], ['bce', 1], ['attn_mse', 0.15]]);
      const byVar = new Map(adapter.parameters.map((p) => [p.variable, p.name]));
      const names = (vs: readonly tf.Variable[]): string[] => vs.map((v) => byVar.get(v) as string);
      expect(names(adapter.taskParameters['bce'] ?? [])).toEqual(['head.weight', 'head.bias']);
      expect(names(adapter.sharedParameters).filter((n) => n.startsWith('visual.')).length).toBe(adapter.parameters.filter((p) => p.name.startsWith('visual.')).length);
      const lm = names(adapter.taskParameters['lm'] ?? []);
      // Probing layer 0 of 2: layer 1 belongs to lm, and of layer 0 only the attention queries/keys and the first two norms are shared.
      expect(lm.some((n) => n.startsWith('decoder.layers.1.selfAttn'))).toBe(true);
      expect(lm).toContain('decoder.layers.0.srcAttn.v.weight');
      expect(lm).not.toContain('decoder.layers.0.srcAttn.k.weight');
      expect(adapter.taskParameters['attn_mse']).toBeUndefined();
    } finally {
      adapter.dispose();
    }
  });

  it('trains a fixed batch, and generate reads no labels', () => {
    const adapter = createCamanet({ ...camanetTinyConfig(VOCAB), dropout: 0, attEmbedDropout: 0 });
    const batch = toTrainBatch(syntheticBatch(adapter, 2, 3));
    const ctx = { training: true, step: 0, epoch: 0, seed: 1, commitState: false };
    const optimizer = tf.train.adam(3e-2);
    const total = (): tf.Scalar => {
      const { losses } = adapter.forward(batch, ctx);
      return tf.addN([losses['lm'] as tf.Scalar, losses['bce'] as tf.Scalar, tf.mul(losses['attn_mse'] as tf.Scalar, 0.15)]) as tf.Scalar;
    };
    try {
      const first = tf.tidy(() => total().dataSync()[0] as number);
      for (let i = 0; i < 5; i++) optimizer.minimize(total);
      expect(tf.tidy(() => total().dataSync()[0] as number)).toBeLessThan(0.8 * first);
      const a = adapter.generate({ images: batch.images }, { beamSize: 2, maxLen: 4 });
      const b = adapter.generate({ images: batch.images, ...(batch.aux === undefined ? {} : { aux: batch.aux }) }, { beamSize: 2, maxLen: 4 });
      expect(b.texts).toEqual(a.texts);
      expect(a.clsProbs?.shape).toEqual([2, 14]);
      tf.dispose([a.clsProbs as tf.Tensor, b.clsProbs as tf.Tensor]);
    } finally {
      optimizer.dispose();
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('rejects a bad configuration naming the option', () => {
    expect(() => createCamanet({ ...camanetTinyConfig(VOCAB), topk: 0 })).toThrow(/`topk` should be a fraction in \(0, 1\]/);
    expect(() => createBackbone('camanet', { ...tiny, visual: { kind: 'resnet', channels: [4] } })).toThrow(/visual.kind/);
  });
});
