import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneAdapter, BackboneConfig } from '../contract';
import { createBackbone } from '../registry';
import { describeBackboneContract } from '../testing/contract-suite';
import { syntheticBatch } from '../testing/synthetic-batch';
import { createDcl } from './adapter';
import { baseGraphAdjacency } from './knowledge-graph';
import { alphaAt, itcLoss, sampleHardNegatives } from './losses';
import { dclTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size'];
const tiny = dclTinyConfig(VOCAB) as unknown as BackboneConfig;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeBackboneContract((config) => createBackbone('dcl', config ?? tiny), { name: 'dcl', steps: 1 });

const values = (adapter: BackboneAdapter, prefix: string): Float32Array[] =>
  adapter.parameters.filter((p) => p.name.startsWith(prefix)).map((p) => Float32Array.from(p.variable.dataSync() as Float32Array));
const variable = (adapter: BackboneAdapter, name: string): tf.Variable => {
  const found = adapter.parameters.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no parameter ${name}`);
  return found.variable;
};

describe('dcl', () => {
  it('has tasks lm, itc, itm with weight 1 and BLIP’s tied-weight partition', () => {
    const adapter = createDcl(dclTinyConfig(VOCAB));
    try {
      expect(adapter.tasks.map((t) => [t.name, t.weight])).toEqual([['lm', 1], ['itc', 1], ['itm', 1]]);
      const names = (vars: readonly tf.Variable[]): string[] => adapter.parameters.filter((p) => vars.includes(p.variable)).map((p) => p.name);
      expect(names(adapter.taskParameters['itc'] ?? [])).toEqual(['itc.visionProj.weight', 'itc.visionProj.bias', 'itc.textProj.weight', 'itc.textProj.bias', 'itc.temperature']);
      expect(names(adapter.taskParameters['itm'] ?? [])).toEqual(['itmHead.weight', 'itmHead.bias']);
      expect(names(adapter.taskParameters['lm'] ?? []).every((n) => n.startsWith('lmHead.') || n.includes('.decSelf'))).toBe(true);
      expect(names(adapter.sharedParameters).some((n) => n.includes('.crossAttn.'))).toBe(true);
      expect(names(adapter.sharedParameters).some((n) => n.includes('.encSelfAttn.'))).toBe(true);
      expect(names(adapter.frozenParameters ?? []).every((n) => n.startsWith('momentum.') || n.startsWith('queues.'))).toBe(true);
      expect(adapter.frozenParameters?.every((v) => !v.trainable)).toBe(true);
    } finally {
      adapter.dispose();
    }
  });

  it('updates the momentum copy and the queues once per commitState, never in forward or per task pass', () => {
    const adapter = createDcl(dclTinyConfig(VOCAB));
    const batch = toTrainBatch(syntheticBatch(adapter, 2, 4));
    const ctx = { training: true, step: 3, epoch: 0, seed: 5, commitState: false };
    try {
      const frozenBefore = values(adapter, 'momentum.').concat(values(adapter, 'queues.'));
      // Per-task gradient passes, as the multi-task optimizer runs them.
      for (const t of ['lm', 'itc', 'itm']) {
        const { value, grads } = tf.variableGrads(() => adapter.forward(batch, ctx, [t]).losses[t] as tf.Scalar, adapter.sharedParameters);
        tf.dispose([value, ...Object.values(grads)]);
      }
      expect(values(adapter, 'momentum.').concat(values(adapter, 'queues.'))).toEqual(frozenBefore);
      // Move one online weight so the momentum update is visible: m ← 0.995 m + 0.005 θ.
      const online = variable(adapter, 'itc.visionProj.bias');
      const copy = variable(adapter, 'momentum.itc.visionProj.bias');
      const m0 = Float32Array.from(copy.dataSync());
      online.assign(tf.add(online, 1));
      const theta = Float32Array.from(online.dataSync());
      const queue0 = Float32Array.from(variable(adapter, 'queues.text').dataSync());
      adapter.commitState?.(batch, { ...ctx, commitState: true });
      const m1 = copy.dataSync();
      m0.forEach((m, i) => expect(m1[i]).toBeCloseTo(0.995 * m + 0.005 * (theta[i] as number), 6));
      expect(variable(adapter, 'queues.pointer').dataSync()[0]).toBe(2);
      const queue1 = variable(adapter, 'queues.text').dataSync();
      const d = 8;
      // Rows 0 and 1 now hold the batch's unit text features; rows 2 … 7 are untouched.
      expect(Array.from(queue1.slice(2 * d))).toEqual(Array.from(queue0.slice(2 * d)));
      for (const row of [0, 1]) expect(Math.hypot(...queue1.slice(row * d, (row + 1) * d))).toBeCloseTo(1, 5);
      expect(Array.from(queue1.slice(0, d))).not.toEqual(Array.from(queue0.slice(0, d)));
      for (let i = 0; i < 3; i++) adapter.commitState?.(batch, { ...ctx, commitState: true });
      expect(variable(adapter, 'queues.pointer').dataSync()[0]).toBe(0); // wrapped: 4 commits × 2 = 8
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('refuses a queue size that the batch size does not divide', () => {
    const adapter = createDcl({ ...dclTinyConfig(VOCAB), queueSize: 9 });
    const batch = toTrainBatch(syntheticBatch(adapter, 2, 4));
    try {
      expect(() => adapter.commitState?.(batch, { training: true, step: 0, epoch: 0, seed: 1, commitState: true })).toThrow(/`queueSize` should be divisible by the batch size 2/);
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('computes the ITC loss with momentum targets on a hand-made case', () => {
    const image = tf.tensor2d([[1, 0], [0, 1]]);
    const text = tf.tensor2d([[0.6, 0.8], [0, 1]]);
    const imageAll = tf.tensor2d([[1, 0], [0, 1], [-1, 0]]);
    const textAll = tf.tensor2d([[1, 0], [0.6, 0.8], [0, -1]]);
    const tau = tf.scalar(0.5);
    const loss = itcLoss(image, text, imageAll, textAll, tau, 0.4);
    const dot = (a: number[], b: number[]): number => (a[0] as number) * (b[0] as number) + (a[1] as number) * (b[1] as number);
    const softmax = (xs: number[]): number[] => {
      const z = xs.reduce((s, x) => s + Math.exp(x), 0);
      return xs.map((x) => Math.exp(x) / z);
    };
    const I = [[1, 0], [0, 1]];
    const T = [[0.6, 0.8], [0, 1]];
    const IA = [[1, 0], [0, 1], [-1, 0]];
    const TA = [[1, 0], [0.6, 0.8], [0, -1]];
    const side = (q: number[][], mq: number[][], all: number[][]): number => {
      let total = 0;
      for (let i = 0; i < 2; i++) {
        const target = softmax(all.map((r) => dot(mq[i] as number[], r) / 0.5)).map((p, j) => 0.4 * p + 0.6 * (i === j ? 1 : 0));
        const logp = softmax(all.map((r) => dot(q[i] as number[], r) / 0.5)).map(Math.log);
        total -= target.reduce((s, t, j) => s + t * (logp[j] as number), 0);
      }
      return total / 2;
    };
    const expected = (side(I, IA.slice(0, 2), TA) + side(T, TA.slice(0, 2), IA)) / 2;
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([image, text, imageAll, textAll, tau, loss]);
  });

  it('samples hard negatives from the seed, never the matching pair, and mostly the most similar', () => {
    const b = 4;
    const sim = new Float32Array(b * b);
    // Image i is very similar to text (i + 1) mod 4 besides its own.
    for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) sim[i * b + j] = i === j ? 10 : j === (i + 1) % b ? 8 : 0;
    const a = sampleHardNegatives(sim, b, 11);
    expect(sampleHardNegatives(sim, b, 11)).toEqual(a);
    let hits = 0;
    for (let seed = 0; seed < 50; seed++) {
      const { negImage, negText } = sampleHardNegatives(sim, b, seed);
      for (let i = 0; i < b; i++) {
        expect(negText[i]).not.toBe(i);
        expect(negImage[i]).not.toBe(i);
        if (negText[i] === (i + 1) % b) hits++;
      }
    }
    // P(hard one) = e^8 / (e^8 + 2) ≈ 0.9993 per draw (plus the 1e-4 floor).
    expect(hits).toBeGreaterThanOrEqual(195);
  });

  it('ramps the distillation weight α over epoch 0 and builds the 28-node base tree', () => {
    const c = { alpha: 0.4, alphaRampSteps: 100 };
    expect([alphaAt(c, 0, 0), alphaAt(c, 50, 0), alphaAt(c, 100, 0), alphaAt(c, 5, 1)]).toEqual([0, 0.2, 0.4, 0.4]);
    const adj = baseGraphAdjacency(28);
    let edges = 0;
    for (let i = 0; i < 28; i++) for (let j = i + 1; j < 28; j++) edges += adj[i * 28 + j] as number;
    expect(edges).toBe(27); // a tree
    expect(Array.from({ length: 28 }, (_, j) => adj[j] as number).reduce((s, x) => s + x, 0)).toBe(10); // root: itself + 9 regions
  });
});
