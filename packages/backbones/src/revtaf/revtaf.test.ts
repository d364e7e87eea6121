import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlainBatch } from '../batch/plain-batch';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneAdapter, BackboneConfig, TrainBatch } from '../contract';
import { createNormal } from '../random/seed';
import { describeBackboneContract } from '../testing/contract-suite';
import { createRevtaf, type RevtafConfig } from './adapter';
import { alignmentLoss, attentionIoU } from './alignment-loss';
import { PoincareBall } from './poincare-ball';
import { rankLoss, rankTargets } from './rank-loss';
import { sinkhornPlan } from './sinkhorn-attention';
import { revtafTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size', 'small', 'left', 'pleural', 'cardiomegaly'];
const tiny = revtafTinyConfig(VOCAB) as unknown as BackboneConfig;
const REPORTS = ['heart size is normal . lungs clear .', 'small left pleural effusion . no cardiomegaly .', 'cardiomegaly . lungs clear .'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const codeToState = (code: number): number => (code === 1 ? 1 : code === 0 ? 2 : code === -1 ? 3 : 0);

/** Studies with fixed reports and label codes; study i has reports[i % 3]. */
function labelledBatch(adapter: BackboneAdapter, b: number, seed: number): PlainBatch {
  const { views, imageSize, channels, maxSeqLength: t } = adapter.inputSpec;
  const normal = createNormal(seed);
  const images = new Float32Array(b * views * imageSize * imageSize * channels).map(() => normal());
  const ids = new Int32Array(b * t);
  const mask = new Float32Array(b * t);
  const codes = new Int8Array(b * 14).fill(-2);
  for (let i = 0; i < b; i++) {
    const words = adapter.tokenizer.encode(REPORTS[i % 3] as string).slice(0, t - 2);
    words.forEach((w, k) => (ids[i * t + 1 + k] = w));
    for (let k = 0; k < words.length + 2; k++) mask[i * t + k] = 1;
    codes[i * 14 + 2] = i % 3 === 1 ? 0 : 1;
    codes[i * 14 + 10] = i % 3 === 1 ? 1 : -2;
    codes[i * 14 + 8] = i % 2 === 0 ? -1 : 0;
  }
  const states = Int32Array.from(codes, codeToState);
  return {
    images: { data: images, shape: [b, views, imageSize, imageSize, channels] },
    reportIds: { data: ids, shape: [b, t] },
    reportMask: { data: mask, shape: [b, t] },
    aux: { labels14: { data: codes, shape: [b, 14] }, labels14x4: { data: states, shape: [b, 14] } },
  };
}

const make = (config: BackboneConfig): BackboneAdapter => createRevtaf(config as unknown as RevtafConfig);

// Three studies: with two, each study's only candidate is its rank target and the loss is exactly 0.
describeBackboneContract((config) => make(config ?? tiny), { name: 'revtaf (poincaré)', makeBatch: labelledBatch, batchSize: 3 });

function prepared(config: BackboneConfig, b = 3): { adapter: BackboneAdapter; batch: TrainBatch } {
  const adapter = make(config);
  const plain = labelledBatch(adapter, b, 5);
  const studies = REPORTS.map((report, i) => ({ id: `s${i}`, report, labels14: (plain.aux?.labels14?.data as Int8Array).slice(i * 14, i * 14 + 14) }));
  adapter.prepare?.({ train: studies });
  const hostAux = adapter.hostAux?.(studies.slice(0, b));
  return { adapter, batch: toTrainBatch({ ...plain, aux: { ...plain.aux, ...hostAux } }) };
}

const ctx = { training: false, step: 0, epoch: 0, seed: 3, commitState: false };

describe('revtaf', () => {
  it('has tasks lm 1, cls 4, align 0.5, rank 2 with the spec partition (rank isolated on the HNN)', () => {
    const adapter = createRevtaf(revtafTinyConfig(VOCAB));
    try {
      expect(adapter.tasks.map((t) => [t.name, t.kind, t.weight])).toEqual([['lm', 'generation', 1], ['cls', 'classification', 4], ['align', 'alignment', 0.5], ['rank', 'retrieval', 2]]);
      const names = new Map(adapter.parameters.map((p) => [p.variable, p.name]));
      const prefixes = (vars: readonly tf.Variable[]): string[] => [...new Set(vars.map((v) => (names.get(v) as string).split('.')[0] as string))];
      expect(prefixes(adapter.sharedParameters)).toEqual(['visual', 'otTxtProj1', 'otTxtProj2']);
      expect(prefixes(adapter.taskParameters['rank'] ?? [])).toEqual(['hnn']);
      expect(adapter.taskParameters['align']).toBeUndefined();
      expect(prefixes(adapter.frozenParameters ?? [])).toEqual(['cls', 'queue']);
    } finally {
      adapter.dispose();
    }
  });

  it('Poincaré ball: distances, exp/log maps and Möbius addition on hand-made points', () => {
    const ball = new PoincareBall(1);
    const values = tf.tidy(() => {
      const x = tf.tensor2d([[0.5, 0]]);
      const zero = tf.zeros([1, 2]);
      return [ball.distance(x, zero), ball.distance(zero, x), ball.mobiusAdd(x, zero), ball.logmap0(ball.expmap0(tf.tensor2d([[0.3, -0.4]]))), ball.mobiusAdd(x, tf.tensor2d([[0.5, 0]]))].map((t) => Array.from(t.dataSync()));
    });
    // d(0, x) = 2 artanh(‖x‖) = ln 3 for ‖x‖ = 1/2; 0.5 ⊕ 0.5 = 1 / 1.25 = 0.8 on a line.
    expect(values[0]?.[0]).toBeCloseTo(Math.log(3), 5);
    expect(values[1]?.[0]).toBeCloseTo(Math.log(3), 5);
    expect(values[2]).toEqual([0.5, 0]);
    expect(values[3]?.[0]).toBeCloseTo(0.3, 5);
    expect(values[3]?.[1]).toBeCloseTo(-0.4, 5);
    expect(values[4]?.[0]).toBeCloseTo(0.8, 6);
  });

  it('Sinkhorn plan has the uniform row and column marginals, and no mass on masked keys', () => {
    const plan = tf.tidy(() => {
      const cost = tf.tensor3d([[[0.1, 0.9, 0.4], [0.7, 0.2, 0.3], [0.5, 0.5, 0.0], [0.2, 0.8, 0.6]]]);
      return sinkhornPlan(cost, tf.tensor2d([[1, 1, 0]]), { iterations: 200, epsilon: 0.2 });
    });
    const p = Array.from(plan.dataSync());
    plan.dispose();
    for (let i = 0; i < 4; i++) expect((p[i * 3] as number) + (p[i * 3 + 1] as number) + (p[i * 3 + 2] as number)).toBeCloseTo(0.25, 4);
    expect([0, 3, 6, 9].reduce((s, i) => s + (p[i] as number), 0)).toBeCloseTo(0.5, 4);
    expect([1, 4, 7, 10].reduce((s, i) => s + (p[i] as number), 0)).toBeCloseTo(0.5, 4);
    expect(Math.max(p[2] as number, p[5] as number, p[8] as number, p[11] as number)).toBeLessThan(1e-12);
  });

  it('rank: nearest-label targets and the cross-entropy over negative distances (hand-made case)', () => {
    // Hamming distances: d(0,1) = 6, d(0,2) = 4, d(1,2) = 4; study 2's tie goes to study 0.
    const states = Int32Array.from([1, 2, 1, 2, 0, 2, 1, 0, 0]);
    expect(Array.from(rankTargets(states, 3, 3))).toEqual([2, 2, 0]);
    expect(Array.from(rankTargets(Int32Array.from([1, 1]), 1, 2))).toEqual([-1]);
    const loss = tf.tidy(() => rankLoss(tf.tensor2d([[0, 1, 2], [1, 0, 3], [2, 3, 0]]), Int32Array.from([1, 0, 1])));
    // Study 0: −log(e⁻¹ / (e⁻¹ + e⁻²)); study 1: −log(e⁻¹ / (e⁻¹ + e⁻³)); study 2: −log(e⁻³ / (e⁻² + e⁻³)).
    const ce = (t: number, o: number): number => Math.log(1 + Math.exp(t - o));
    expect(loss.dataSync()[0]).toBeCloseTo((ce(1, 2) + ce(1, 3) + ce(3, 2)) / 3, 5);
    loss.dispose();
  });

  it('align: IoU of binarised maps and mean(1 − σ(cos)·IoU) over real sentences (hand-made case)', () => {
    const [iou, loss] = tf.tidy(() => {
      // Two tokens; the region attends to token 0; sentence 0 to token 0, sentence 1 to both.
      const region = tf.tensor3d([[[0.9], [0.1]]]);
      const sentence = tf.tensor3d([[[0.8, 0.5], [0.2, 0.5]]]);
      const i = attentionIoU(region, sentence, 0.5);
      const l = alignmentLoss(tf.tensor3d([[[1, 0]]]), tf.tensor3d([[[1, 0], [0, 1]]]), i, tf.tensor2d([[1, 1]]));
      return [i, l];
    });
    expect(Array.from(iou?.dataSync() ?? [])).toEqual([1, 0.5]);
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    expect(loss?.dataSync()[0]).toBeCloseTo((1 - sig(1) * 1 + (1 - sig(0) * 0.5)) / 2, 6);
    tf.dispose([iou as tf.Tensor, loss as tf.Tensor]);
  });

  it('hostAux retrieves the nearest-label training study, never the study itself', () => {
    const { adapter, batch } = prepared(tiny);
    try {
      const memory = batch.aux?.retrievedMemory as tf.Tensor3D;
      expect(memory.shape).toEqual([3, 3, 16]);
      // Studies 0 and 2 have the same labels, so each retrieves the other; study 1 ties and gets study 0.
      const rows = memory.arraySync();
      expect(rows[2]).toEqual(rows[1]);
      expect(rows[0]).not.toEqual(rows[1]);
      const codes = labelledBatch(adapter, 1, 5).aux?.labels14?.data as Int8Array;
      const outsider = adapter.hostAux?.([{ id: 'outsider', report: '', labels14: codes }]).retrievedMemory?.data as Float32Array;
      expect(Array.from(outsider)).toEqual(rows[1]?.flat());
      expect(rows[0]?.flat().some((x) => x !== 0)).toBe(true);
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('fills the retrieval queue only in commitState, and generation then retrieves from it', () => {
    const { adapter, batch } = prepared(tiny);
    try {
      const count = (): number => (adapter.parameters.find((p) => p.name === 'queue.count')?.variable.dataSync()[0] as number);
      const before = adapter.generate({ images: batch.images }, { beamSize: 1, maxLen: 4 });
      adapter.commitState?.(batch, ctx);
      expect(count()).toBe(0);
      adapter.commitState?.(batch, { ...ctx, commitState: true });
      expect(count()).toBe(3);
      const keys = adapter.parameters.find((p) => p.name === 'queue.keys')?.variable.dataSync() as Float32Array;
      expect(keys.subarray(0, 24).some((x) => x !== 0)).toBe(true);
      expect(keys.subarray(24).every((x) => x === 0)).toBe(true);
      const after = adapter.generate({ images: batch.images }, { beamSize: 1, maxLen: 4 });
      expect(after.texts).toHaveLength(3);
      tf.dispose([before.clsProbs, after.clsProbs].filter((x) => x !== undefined));
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('generates without reading the reference labels or report (the same texts when they change)', () => {
    const { adapter, batch } = prepared(tiny);
    const altered = tf.tidy(() => tf.fill([3, 14], 1, 'int32') as tf.Tensor2D);
    try {
      adapter.commitState?.(batch, { ...ctx, commitState: true });
      const a = adapter.generate({ images: batch.images, ...(batch.aux === undefined ? {} : { aux: batch.aux }) }, { beamSize: 2, maxLen: 5 });
      const b = adapter.generate({ images: batch.images, aux: { labels14x4: altered } }, { beamSize: 2, maxLen: 5 });
      expect(b.texts).toEqual(a.texts);
      tf.dispose([a.clsProbs, b.clsProbs].filter((x) => x !== undefined));
    } finally {
      altered.dispose();
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('gives finite losses in the Euclidean fallback geometry and rejects bad options by name', () => {
    const { adapter, batch } = prepared({ ...tiny, geometry: 'euclidean' });
    try {
      const { losses } = adapter.forward(batch, ctx);
      for (const v of Object.values(losses)) expect(Number.isFinite(v.dataSync()[0])).toBe(true);
      tf.dispose(Object.values(losses));
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
    expect(() => createRevtaf({ ...revtafTinyConfig(VOCAB), geometry: 'lorentz' as 'poincare' })).toThrow(/`geometry` should be 'poincare' or 'euclidean'/);
    expect(() => createRevtaf({ ...revtafTinyConfig(VOCAB), regionGrid: 3 })).toThrow(/`regionGrid` should be a divisor of the final CNN map side 8/);
    const fresh = createRevtaf(revtafTinyConfig(VOCAB));
    expect(() => fresh.hostAux?.([])).toThrow(/`prepare\(corpus\)` should be called/);
    fresh.dispose();
  });
});
