import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlainBatch } from '../batch/plain-batch';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneAdapter, BackboneConfig, CorpusStudy } from '../contract';
import { createBackbone } from '../registry';
import { createUniform } from '../random/seed';
import { describeBackboneContract } from '../testing/contract-suite';
import { syntheticBatch } from '../testing/synthetic-batch';
import { createTgrg } from './adapter';
import { klRate, TGRG_DEFAULTS } from './config';
import { gaussianKl, GaussianTopics, topicCrossEntropy } from './gaussian-topics';
import { ParameterStore } from '../params/parameter-store';
import { selectTopics } from './topic-selection';
import { logTopicPrior, topicTargets } from './topic-targets';
import { tgrgTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size'];
const tiny = tgrgTinyConfig(VOCAB) as unknown as BackboneConfig;
const CODES = [1, 0, -1, -2] as const;

/** Studies with seeded CheXpert codes, as the CLI hands them to `hostAux`. */
function studies(n: number, seed: number): CorpusStudy[] {
  const u = createUniform(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    report: 'no effusion .',
    labels14: Int8Array.from({ length: 14 }, () => CODES[Math.floor(u() * 4)] as number),
  }));
}

/**
 * A synthetic batch carrying CheXpert codes in `aux.labels14`, as the CLI's dataset batches do;
 * `topics28` comes from the adapter's own `hostAux` over those studies.
 */
function codedBatch(adapter: BackboneAdapter, batchSize: number, seed: number): PlainBatch {
  const plainSpec = { ...adapter.inputSpec, aux: [], inferAux: [] };
  const base = syntheticBatch({ inputSpec: plainSpec, tokenizer: adapter.tokenizer } as unknown as BackboneAdapter, batchSize, seed);
  const codes = new Int8Array(batchSize * 14);
  studies(batchSize, seed).forEach((s, i) => codes.set(s.labels14 as Int8Array, i * 14));
  return { ...base, aux: { labels14: { data: codes, shape: [batchSize, 14] } } };
}

/** {@link codedBatch} plus the `topics28` the host would add for training. */
function topicBatch(adapter: BackboneAdapter, batchSize: number, seed: number): PlainBatch {
  const plain = codedBatch(adapter, batchSize, seed);
  return { ...plain, aux: { ...plain.aux, ...adapter.hostAux?.(studies(batchSize, seed)) } };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeBackboneContract((config) => createBackbone('tgrg', config ?? tiny), { name: 'tgrg', makeBatch: codedBatch });

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('tgrg topic model', () => {
  it('maps CheXpert codes to the 28 topics and counts a smoothed prior', () => {
    const codes = [1, 0, -1, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, 0];
    const t = topicTargets(codes);
    expect([...t].flatMap((x, i) => (x === 1 ? [i] : []))).toEqual([0, 2, 14 + 1, 14 + 13]);
    expect(() => topicTargets([2, ...codes.slice(1)])).toThrow(/`labels14\[0\]` should be a CheXpert code/);
    const prior = logTopicPrior([t, t]);
    // Counts 1 + 2 on four topics, 1 elsewhere: 24 + 12 = 36 in total.
    expect(prior[0]).toBeCloseTo(Math.log(3 / 36), 6);
    expect(prior[1]).toBeCloseTo(Math.log(1 / 36), 6);
  });

  it('computes the Gaussian topic posterior in log space on a hand-made case', () => {
    const store = new ParameterStore(1);
    const topics = new GaussianTopics(store, 'topics', 2);
    try {
      const mu = new Float32Array(56);
      const sigma = new Float32Array(56).fill(1);
      mu.set([1, 0], 0);
      sigma.set([2, 0.5], 2);
      topics.mu.assign(tf.tensor2d(mu, [28, 2]));
      topics.sigma.assign(tf.tensor2d(sigma, [28, 2]));
      const prior = tf.tensor1d(new Float32Array(28).fill(Math.log(1 / 28)));
      const logits = values(topics.logits(tf.tensor2d([[1, 1]]), prior, 1.5, false));
      const base = 1.5 * Math.log(1 / 28);
      // topic 0: σ = 1, residual (0, 1): −½ · 1 / √2
      expect(logits[0]).toBeCloseTo(base - 0.5 / Math.SQRT2, 5);
      // topic 1: σ = (2, 0.5), residual (1, 1): −(log 2 + log 0.5) − ½ (1/4 + 4) / √2
      expect(logits[1]).toBeCloseTo(base - 0.5 * 4.25 / Math.SQRT2, 5);
      // 512 tiny variances: TGRG's clip of −½ Σ log σ² at 50 keeps the logit finite.
      const wide = new GaussianTopics(store, 'wide', 512);
      wide.sigma.assign(tf.fill([28, 512], 1e-3));
      const l = values(wide.logits(tf.zeros([1, 512]), prior, 1, false));
      expect(l.every(Number.isFinite)).toBe(true);
      // Multi-hot cross-entropy: −Σ y log softmax, over the batch.
      const ce = topicCrossEntropy(tf.tensor2d([[0, Math.log(3)]]), tf.tensor2d([[1, 1]])).dataSync()[0] as number;
      expect(ce).toBeCloseTo(-(Math.log(1 / 4) + Math.log(3 / 4)), 6);
    } finally {
      store.dispose();
    }
  });

  it('computes the KL in log space: d/2 at equal means and unit σ, the detached text mean gets no gradient', () => {
    const m = tf.tensor2d([[0.5, -1, 2]]);
    const ones = tf.ones([3]) as tf.Tensor1D;
    expect(gaussianKl(m, m, ones, ones, 0.1).dataSync()[0]).toBeCloseTo(1.5, 6);
    // residual (0.1, 0, 0), σ_img = 1, σ_txt = (2, 1, 1): ½ [0.01 / 0.01 + (4 + 1 + 1) − 2 log 2]
    const kl = gaussianKl(m, tf.tensor2d([[0.6, -1, 2]]), ones, tf.tensor1d([2, 1, 1]), 0.1).dataSync()[0] as number;
    expect(kl).toBeCloseTo(0.5 * (1 + 6 - 2 * Math.log(2)), 4);
    // 512 ratios of 2 would overflow float32 as a product (2^512); in log space it is 512·log 2.
    const big = gaussianKl(tf.zeros([1, 512]), tf.zeros([1, 512]), tf.ones([512]) as tf.Tensor1D, tf.fill([512], 2) as tf.Tensor1D, 0.1).dataSync()[0] as number;
    expect(big).toBeCloseTo(0.5 * (512 * 4 - 2 * 512 * Math.log(2)), 1);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => gaussianKl(a as tf.Tensor2D, b as tf.Tensor2D, ones, ones, 0.1))([m, tf.tensor2d([[0, 0, 0]])]);
    expect(values(g[1] as tf.Tensor)).toEqual([0, 0, 0]);
    expect(values(g[0] as tf.Tensor).some((x) => x !== 0)).toBe(true);
  });

  it('anneals the KL weight 0.002 · rate: ⌊j/500⌋/20 in the first epoch, capped at 0.4, then 0.4', () => {
    expect([0, 498, 499, 999, 4000, 20_000].map((s) => klRate(TGRG_DEFAULTS, s, 0))).toEqual([0, 0, 0.05, 0.1, 0.4, 0.4]);
    expect(klRate(TGRG_DEFAULTS, 3, 1)).toBe(0.4);
    const adapter = createTgrg({ vocab: VOCAB });
    try {
      const kl = adapter.tasks[3];
      expect(adapter.tasks.map((t) => [t.name, t.weightAt?.(100_000, 2) ?? t.weight])).toEqual([['lm', 1], ['topic', 0.04], ['bow', 0.05], ['kl', 0.002 * 0.4]]);
      expect([kl?.weightAt?.(0, 0), kl?.weightAt?.(499, 0)]).toEqual([0, 0.002 * 0.05]);
    } finally {
      adapter.dispose();
    }
  });

  it('chooses the top-k topics with renormalised posterior weights', () => {
    const logits = new Float32Array(28).fill(-10);
    logits[4] = Math.log(2);
    logits[7] = 0;
    logits[9] = Math.log(2);
    const { indices, weights } = selectTopics(tf.tensor2d(logits, [1, 28]), 3);
    expect(indices).toEqual([[4, 9, 7]]);
    const w = values(weights);
    expect([w[4], w[9], w[7]].map((x) => Number((x as number).toFixed(6)))).toEqual([0.4, 0.4, 0.2]);
    expect(w.filter((x) => x > 0)).toHaveLength(3);
  });
});

describe('tgrg adapter', () => {
  it('keeps the topic variances private to topic and the heads private to lm and bow', () => {
    const adapter = createTgrg(tgrgTinyConfig(VOCAB));
    try {
      const byVar = new Map(adapter.parameters.map((p) => [p.variable, p.name]));
      const names = (t: string): string[] => (adapter.taskParameters[t] ?? []).map((v) => byVar.get(v) as string);
      expect(names('topic')).toEqual(['topics.sigma']);
      expect(names('bow')).toEqual(['bowLogit.weight', 'bowLogit.bias']);
      expect(names('lm')).toContain('embed.table');
      expect(adapter.sharedParameters.map((v) => byVar.get(v))).toContain('topics.mu');
      expect(adapter.inputSpec).toMatchObject({ aux: ['topics28'], inferAux: [] });
    } finally {
      adapter.dispose();
    }
  });

  it('learns a fixed batch; prepare sets the prior; generate reads no report and no aux', () => {
    const adapter = createTgrg({ ...tgrgTinyConfig(VOCAB), dropout: 0, attEmbedDropout: 0 });
    const batch = toTrainBatch(topicBatch(adapter, 2, 5));
    const ctx = { training: true, step: 0, epoch: 0, seed: 1, commitState: false };
    const optimizer = tf.train.adam(3e-2);
    const weights: Record<string, number> = { lm: 1, topic: 0.04, bow: 0.05, kl: 0.002 };
    const total = (): tf.Scalar => {
      const { losses } = adapter.forward(batch, ctx);
      return tf.addN(Object.entries(losses).map(([k, v]) => tf.mul(v, weights[k] ?? 0))) as tf.Scalar;
    };
    try {
      const first = tf.tidy(() => total().dataSync()[0] as number);
      for (let i = 0; i < 5; i++) optimizer.minimize(total);
      expect(tf.tidy(() => total().dataSync()[0] as number)).toBeLessThan(0.8 * first);
      const g0 = adapter.generate({ images: batch.images }, { beamSize: 2, maxLen: 4 });
      const withAux = adapter.generate({ images: batch.images, ...(batch.aux === undefined ? {} : { aux: batch.aux }) }, { beamSize: 2, maxLen: 4 });
      expect(withAux.texts).toEqual(g0.texts);
      const before = (adapter as unknown as { logPrior: Float32Array }).logPrior;
      adapter.prepare?.({ train: studies(20, 9) });
      const after = (adapter as unknown as { logPrior: Float32Array }).logPrior;
      expect(after).not.toEqual(before);
      adapter.prepare?.({ train: studies(20, 9) });
      expect((adapter as unknown as { logPrior: Float32Array }).logPrior).toEqual(after);
    } finally {
      optimizer.dispose();
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('names the missing topic targets', () => {
    const adapter = createTgrg(tgrgTinyConfig(VOCAB));
    const plain = topicBatch(adapter, 2, 3);
    const batch = toTrainBatch({ images: plain.images, reportIds: plain.reportIds, reportMask: plain.reportMask } as PlainBatch);
    try {
      expect(() => adapter.forward(batch, { training: true, step: 0, epoch: 0, seed: 1, commitState: false }, ['topic'])).toThrow(/`batch.aux.topics28` should be a \[B, 28\] tensor/);
      expect(() => createTgrg({ ...tgrgTinyConfig(VOCAB), topK: 29 })).toThrow(/`topK` should be at most 28/);
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
  });
});
