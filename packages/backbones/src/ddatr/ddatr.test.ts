import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlainBatch } from '../batch/plain-batch';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneAdapter, BackboneConfig, TrainBatch } from '../contract';
import { createNormal } from '../random/seed';
import { ParameterStore } from '../params/parameter-store';
import { describeBackboneContract } from '../testing/contract-suite';
import { WordTokenizer } from '../tokenizer/word-tokenizer';
import { createDDaTR, type DDaTRConfig } from './adapter';
import { DifferenceConv } from './difference-conv';
import { logitAdjustedStateLoss, reestimatedBaseProbs } from './logit-adjusted-loss';
import { PriorLabelBank } from './prior-labels';
import { ddatrTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size', 'small', 'left'];
const tiny = ddatrTinyConfig(VOCAB) as unknown as BackboneConfig;
const PRIOR_REPORT = 'Small left effusion. Heart size is normal.';
const PRIOR_CODES = Int8Array.from([-2, -2, 0, -2, -2, -2, -2, -2, -2, -2, 1, -2, -2, -2]);
const CORPUS = { train: [{ id: 'p1_s0', report: PRIOR_REPORT, labels14: PRIOR_CODES }, { id: 'p2_s0', report: 'Lungs are clear.', labels14: Int8Array.from({ length: 14 }, () => 0) }] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Study 0 has a prior (whose report is in CORPUS), study 1 has none; further studies alternate. */
function longitudinalBatch(adapter: BackboneAdapter, b: number, seed: number): PlainBatch {
  const { views, imageSize, channels, maxSeqLength: t } = adapter.inputSpec;
  const normal = createNormal(seed);
  const size = b * views * imageSize * imageSize * channels;
  const images = new Float32Array(size).map(() => normal());
  const priorImage = new Float32Array(size).map(() => normal());
  const ids = new Int32Array(b * t);
  const mask = new Float32Array(b * t);
  const priorIds = new Int32Array(b * t);
  const priorMask = new Float32Array(b * t);
  const hasProgress = new Float32Array(b);
  const states = new Int32Array(b * 14);
  const prior = adapter.tokenizer.encode('small left effusion . heart size is normal .');
  const per = size / b;
  for (let i = 0; i < b; i++) {
    const words = adapter.tokenizer.encode(i % 2 === 0 ? 'heart is normal . lungs clear .' : 'no effusion .').slice(0, t - 2);
    words.forEach((w, k) => (ids[i * t + 1 + k] = w));
    for (let k = 0; k < words.length + 2; k++) mask[i * t + k] = 1;
    for (let c = 0; c < 14; c++) states[i * 14 + c] = (i + c) % 4;
    if (i % 2 === 0) {
      hasProgress[i] = 1;
      prior.slice(0, t - 2).forEach((w, k) => (priorIds[i * t + 1 + k] = w));
      for (let k = 0; k < Math.min(prior.length + 2, t); k++) priorMask[i * t + k] = 1;
    } else {
      priorImage.fill(0, i * per, (i + 1) * per);
    }
  }
  return {
    images: { data: images, shape: [b, views, imageSize, imageSize, channels] },
    reportIds: { data: ids, shape: [b, t] },
    reportMask: { data: mask, shape: [b, t] },
    aux: {
      labels14x4: { data: states, shape: [b, 14] },
      priorImage: { data: priorImage, shape: [b, views, imageSize, imageSize, channels] },
      priorReportIds: { data: priorIds, shape: [b, t] },
      priorReportMask: { data: priorMask, shape: [b, t] },
      hasProgress: { data: hasProgress, shape: [b] },
    },
  };
}

function prepared(config: BackboneConfig): BackboneAdapter {
  // The factory itself (not the registry) so this suite does not depend on other adapters compiling.
  const adapter = createDDaTR(config as unknown as DDaTRConfig);
  adapter.prepare?.(CORPUS);
  return adapter;
}

const lossValues = (adapter: BackboneAdapter, batch: TrainBatch, seed = 3): Record<string, number> => {
  const { losses } = adapter.forward(batch, { training: false, step: 0, epoch: 0, seed, commitState: false });
  const out = Object.fromEntries(Object.entries(losses).map(([k, v]) => [k, v.dataSync()[0] as number]));
  tf.dispose(Object.values(losses));
  return out;
};

describeBackboneContract((config) => prepared(config ?? tiny), { name: 'ddatr (lm + cls)', makeBatch: longitudinalBatch, corpus: CORPUS });
describeBackboneContract((config) => prepared(config ?? { ...tiny, splitPriorCls: true, views: 2 }), { name: 'ddatr (split prior cls, two views)', makeBatch: longitudinalBatch, corpus: CORPUS });

describe('ddatr', () => {
  it('has tasks lm 1 and cls 4 (or the split variant), a frozen text encoder and a deep-copied prior stream', () => {
    const adapter = createDDaTR(ddatrTinyConfig(VOCAB));
    const split = createDDaTR({ ...ddatrTinyConfig(VOCAB), splitPriorCls: true });
    try {
      expect(adapter.tasks.map((t) => [t.name, t.kind, t.weight])).toEqual([['lm', 'generation', 1], ['cls', 'classification', 4]]);
      expect(split.tasks.map((t) => [t.name, t.weight])).toEqual([['lm', 1], ['cls_cur', 4], ['cls_prior', 4]]);
      const named = new Map(adapter.parameters.map((p) => [p.name, p.variable]));
      expect(adapter.frozenParameters).toEqual([named.get('textEncoder.table'), named.get('logitAdjust.baseProbs')]);
      expect(named.get('textEncoder.table')?.trainable).toBe(false);
      expect(named.has('encoder.prior.stages.0.down.filter')).toBe(false);
      const cur = named.get('encoder.current.stages.1.a.filter')?.dataSync();
      expect(named.get('encoder.prior.stages.1.a.filter')?.dataSync()).toEqual(cur);
      expect(adapter.taskParameters['cls']?.length).toBe(6);
      expect(adapter.paramGroups?.map((g) => [g.name, g.weightDecay])).toEqual([['decay', 0.05], ['noDecay', 0]]);
    } finally {
      adapter.dispose();
      split.dispose();
    }
  });

  it('sums the current and prior classification losses into cls', () => {
    const merged = prepared(tiny);
    const split = prepared({ ...tiny, splitPriorCls: true });
    const batch = toTrainBatch(longitudinalBatch(merged, 2, 5));
    try {
      const a = lossValues(merged, batch);
      const b = lossValues(split, batch);
      expect(a['lm']).toBe(b['lm']);
      expect(a['cls']).toBeCloseTo((b['cls_cur'] as number) + (b['cls_prior'] as number), 6);
      expect(b['cls_prior']).toBeGreaterThan(0);
    } finally {
      disposeBatch(batch);
      merged.dispose();
      split.dispose();
    }
  });

  it('ignores the prior image of a study without a prior, and sends no gradient into the prior stream then', () => {
    const adapter = prepared(tiny);
    const plain = longitudinalBatch(adapter, 2, 5);
    const batch = toTrainBatch(plain);
    const noise = Float32Array.from(plain.aux?.priorImage?.data ?? [], (x, i) => (i >= (plain.aux?.priorImage?.data.length ?? 0) / 2 ? 5 : x));
    const altered = toTrainBatch({ ...plain, aux: { ...plain.aux, priorImage: { data: noise, shape: plain.aux?.priorImage?.shape ?? [] } } });
    const none = toTrainBatch({ ...plain, aux: { ...plain.aux, hasProgress: { data: new Float32Array(2), shape: [2] } } });
    try {
      expect(lossValues(adapter, altered)).toEqual(lossValues(adapter, batch));
      const priorStream = adapter.parameters.filter((p) => p.name.startsWith('encoder.prior.stages.1')).map((p) => p.variable);
      const { value, grads } = tf.variableGrads(() => adapter.forward(none, { training: true, step: 0, epoch: 0, seed: 1, commitState: false }, ['lm']).losses['lm'] as tf.Scalar, priorStream);
      for (const g of Object.values(grads)) expect(Math.max(...Array.from(g.dataSync(), Math.abs))).toBe(0);
      tf.dispose([value, ...Object.values(grads)]);
    } finally {
      [batch, altered, none].forEach(disposeBatch);
      adapter.dispose();
    }
  });

  it('trains without any prior input (the fallback), with cls_prior 0', () => {
    const adapter = prepared(tiny);
    const plain = longitudinalBatch(adapter, 2, 5);
    const batch = toTrainBatch({ ...plain, aux: { labels14x4: plain.aux?.labels14x4 as NonNullable<PlainBatch['aux']>['labels14x4'] & object } });
    const split = prepared({ ...tiny, splitPriorCls: true });
    try {
      const v = lossValues(split, batch);
      expect(v['cls_prior']).toBe(0);
      expect(Number.isFinite(v['lm'])).toBe(true);
      const { texts, clsProbs } = adapter.generate({ images: batch.images }, { beamSize: 1, maxLen: 4 });
      expect(texts).toHaveLength(2);
      expect(clsProbs?.shape).toEqual([2, 14]);
      clsProbs?.dispose();
    } finally {
      disposeBatch(batch);
      adapter.dispose();
      split.dispose();
    }
  });

  it('generates from predicted prompts: the reference labels do not change the text', () => {
    const adapter = prepared(tiny);
    const plain = longitudinalBatch(adapter, 2, 5);
    const a = toTrainBatch(plain);
    const b = toTrainBatch({ ...plain, aux: { ...plain.aux, labels14x4: { data: new Int32Array(28).fill(1), shape: [2, 14] } } });
    try {
      const ta = adapter.generate(a, { beamSize: 2, maxLen: 5 });
      const tb = adapter.generate(b, { beamSize: 2, maxLen: 5 });
      expect(tb.texts).toEqual(ta.texts);
      tf.dispose([ta.clsProbs, tb.clsProbs].filter((x) => x !== undefined));
    } finally {
      disposeBatch(a);
      disposeBatch(b);
      adapter.dispose();
    }
  });

  it('logit adjustment: log(base) is added to the positive logit (hand-made case)', () => {
    const loss = tf.tidy(() => logitAdjustedStateLoss(tf.zeros([1, 1, 4]) as tf.Tensor3D, tf.tensor2d([[1]], [1, 1], 'int32'), tf.log(tf.tensor1d([0.5]))));
    // softmax([0, ln 0.5, 0, 0])[1] = 0.5 / 3.5, so the loss is ln 7.
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(7), 6);
    loss.dispose();
    expect(reestimatedBaseProbs([0.2, 0.4, 0, Number.NaN], 1e-3, [1, 1, 1, 0.3])).toEqual([0.5, 1, 1e-3, 0.3]);
    expect(reestimatedBaseProbs([Number.NaN, 0], 1e-3, [1, 1])).toBeUndefined();
    const adapter = createDDaTR(ddatrTinyConfig(VOCAB)) as BackboneAdapter & { baseProbs: number[] };
    try {
      adapter.prepare?.(CORPUS);
      expect(adapter.baseProbs[10]).toBe(0.5);
      expect(adapter.baseProbs[0]).toBeCloseTo(1e-3, 9);
      adapter.onValidation?.({ meanPositiveProb: Array.from({ length: 14 }, (_, i) => (i + 1) / 14) });
      expect(adapter.baseProbs[6]).toBeCloseTo(0.5, 12);
    } finally {
      adapter.dispose();
    }
  });

  it('difference convolution with θ = 1 is blind to a constant image (interior zero)', () => {
    const store = new ParameterStore(3);
    const conv = new DifferenceConv(store, 'ldc', 2, 1);
    const out = tf.tidy(() => conv.apply(tf.fill([1, 5, 5, 2], 0.7) as tf.Tensor4D));
    const interior = tf.tidy(() => tf.slice(out, [0, 1, 1, 0], [1, 3, 3, 2]));
    expect(Math.max(...Array.from(interior.dataSync(), Math.abs))).toBeLessThan(1e-6);
    expect(Math.max(...Array.from(out.dataSync(), Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose([out, interior]);
    store.dispose();
  });

  it('finds prior labels by the report words, exactly or by prefix when the prior report was cut', () => {
    const tok = new WordTokenizer(VOCAB);
    const bank = new PriorLabelBank(tok, 14);
    bank.build(CORPUS.train);
    const t = 6;
    const words = tok.encode('small left effusion . heart size is normal .');
    const ids = new Int32Array(2 * t);
    const mask = new Float32Array(2 * t).fill(1);
    words.slice(0, t - 1).forEach((w, k) => (ids[1 + k] = w));
    tok.encode('lungs clear .').forEach((w, k) => (ids[t + 1 + k] = w));
    mask.fill(0, t + 5);
    const hit = bank.lookup(ids, mask, Float32Array.from([1, 1]), t);
    expect(Array.from(hit.found)).toEqual([1, 1]);
    expect(Array.from(hit.states.subarray(0, 14))).toEqual([0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(hit.states.subarray(14))).toEqual(new Array(14).fill(2));
    expect(Array.from(bank.lookup(ids, mask, Float32Array.from([0, 1]), t).found)).toEqual([0, 1]);
  });

  it('rejects a bad configuration and a prior image of the wrong shape, naming them', () => {
    expect(() => createDDaTR({ ...ddatrTinyConfig(VOCAB), stages: [] })).toThrow(/`stages` should be a non-empty list/);
    expect(() => createDDaTR({ ...ddatrTinyConfig(VOCAB), heads: 3 })).toThrow(/heads/);
    const adapter = prepared(tiny);
    const plain = longitudinalBatch(adapter, 2, 5);
    const bad = toTrainBatch({ ...plain, aux: { ...plain.aux, priorImage: { data: new Float32Array(2 * 16 * 16), shape: [2, 1, 16, 16, 1] } } });
    try {
      expect(() => adapter.forward(bad, { training: false, step: 0, epoch: 0, seed: 1, commitState: false })).toThrow(/`batch.aux.priorImage` should be \[2, 1, 32, 32, 1\]/);
    } finally {
      disposeBatch(bad);
      adapter.dispose();
    }
  });
});
