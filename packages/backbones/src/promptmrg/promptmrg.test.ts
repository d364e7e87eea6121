import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlainBatch } from '../batch/plain-batch';
import { disposeBatch, toInferBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneAdapter, BackboneConfig, Corpus } from '../contract';
import { createBackbone } from '../registry';
import { describeBackboneContract } from '../testing/contract-suite';
import { syntheticBatch } from '../testing/synthetic-batch';
import { createPromptMRG } from './adapter';
import { positiveFrequencies } from './cls-prompt-branch';
import { logitAdjustedCrossEntropy } from './logit-adjusted-loss';
import { ReportBank } from './report-bank';
import { promptmrgTinyConfig } from './tiny-config';

const VOCAB = ['.', '<unk>', 'effusion', 'heart', 'is', 'lungs', 'no', 'normal', 'clear', 'size'];
const tiny = promptmrgTinyConfig(VOCAB) as unknown as BackboneConfig;

const codes = (positives: number[]): Int8Array => Int8Array.from({ length: 14 }, (_, c) => (positives.includes(c) ? 1 : c % 3 === 0 ? -2 : 0));
const CORPUS: Corpus = {
  train: [
    { id: 'a', report: 'the heart is normal . lungs are clear .', labels14: codes([]) },
    { id: 'b', report: 'small left pleural effusion . heart size is normal .', labels14: codes([9]) },
    { id: 'c', report: 'large right pleural effusion with basal opacity .', labels14: codes([9, 2]) },
    { id: 'd', report: 'the heart is enlarged . no effusion .', labels14: codes([1]) },
    { id: 'e', report: 'lungs are clear . no pneumothorax .', labels14: codes([]) },
    { id: 'f', report: 'moderate cardiomegaly and bilateral effusion .', labels14: codes([1, 9]) },
  ],
};

function prepared(config: BackboneConfig): BackboneAdapter {
  const adapter = createBackbone('promptmrg', config);
  adapter.prepare?.(CORPUS);
  return adapter;
}

// syntheticBatch plus the 14 × 4 state ids promptmrg reads.
function batchWithStates(adapter: BackboneAdapter, batchSize: number, seed: number): PlainBatch {
  const plain = syntheticBatch({ ...adapter, inputSpec: { ...adapter.inputSpec, aux: [], inferAux: [] } } as BackboneAdapter, batchSize, seed);
  const states = Int32Array.from({ length: batchSize * 14 }, (_, i) => (i * 7 + seed) % 4);
  return { ...plain, aux: { labels14x4: { data: states, shape: [batchSize, 14] } } };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeBackboneContract((config) => createBackbone('promptmrg', config ?? tiny), { name: 'promptmrg', makeBatch: batchWithStates, steps: 1, corpus: CORPUS });

describe('promptmrg', () => {
  it('has tasks lm 1 and cls 4, the visual extractor as the only shared part and the priors frozen', () => {
    const adapter = prepared(tiny);
    try {
      expect(adapter.tasks.map((t) => [t.name, t.kind, t.weight])).toEqual([['lm', 'generation', 1], ['cls', 'classification', 4]]);
      const named = (prefix: string): tf.Variable[] => adapter.parameters.filter((p) => p.name.startsWith(prefix)).map((p) => p.variable);
      expect(adapter.sharedParameters).toEqual(named('visual.'));
      expect(adapter.taskParameters['cls']).toEqual([...named('memory.'), ...named('cls.head.')]);
      expect(adapter.taskParameters['lm']).toEqual(named('textDecoder.'));
      expect(adapter.frozenParameters).toEqual(named('cls.basePriors'));
      expect(adapter.paramGroups?.map((g) => [g.name, g.lr, g.weightDecay])).toEqual([['decay', 5e-5, 0.05], ['noDecay', 5e-5, 0]]);
      expect(adapter.paramGroups?.[1]?.vars.every((v) => v.rank === 1)).toBe(true);
    } finally {
      adapter.dispose();
    }
  });

  it('computes the logit-adjusted cross-entropy of a hand-made case', () => {
    // One study, two observations; the prior of observation 0 is 0.25, of observation 1 is 1.
    const logits = tf.tensor3d([[[0, 1, 0, 0], [2, 0, 0, 1]]]);
    const targets = tf.tensor2d([[1, 3]], [1, 2], 'int32');
    const loss = logitAdjustedCrossEntropy(logits, targets, tf.log(tf.tensor1d([0.25, 1])));
    const lse = (xs: number[]): number => Math.log(xs.reduce((a, x) => a + Math.exp(x), 0));
    const a = lse([0, 1 + Math.log(0.25), 0, 0]) - (1 + Math.log(0.25));
    const b = lse([2, 0, 0, 1]) - 1;
    expect(loss.dataSync()[0]).toBeCloseTo((a + b) / 2, 6);
    tf.dispose([logits, targets, loss]);
  });

  it('sets the priors from the training positive frequencies and re-estimates them on validation', () => {
    expect(positiveFrequencies(CORPUS.train, 1e-3)).toEqual([1e-3, 2 / 3, 1 / 3, ...new Array(6).fill(1e-3), 1, ...new Array(4).fill(1e-3)]);
    const adapter = prepared(tiny);
    const priors = (): number[] => Array.from(adapter.frozenParameters?.[0]?.dataSync() ?? []);
    try {
      expect(priors()[9]).toBe(1);
      expect(priors()[1]).toBeCloseTo(2 / 3, 6);
      const stats = Array.from({ length: 14 }, (_, c) => (c === 5 ? Number.NaN : 0.1 * (c % 5)));
      adapter.onValidation?.({ meanPositiveProb: stats });
      const after = priors();
      expect(after[4]).toBe(1);
      expect(after[2]).toBeCloseTo(0.5, 6);
      expect(after[0]).toBeCloseTo(1e-3, 6);
      expect(after[5]).toBeCloseTo(1e-3, 6); // no reference positive: kept
      adapter.onValidation?.({ meanPositiveProb: new Array(14).fill(0) });
      expect(priors()).toEqual(after);
      expect(() => adapter.onValidation?.({ meanPositiveProb: [1, 2] })).toThrow(/`stats.meanPositiveProb` should be 14 values/);
    } finally {
      adapter.dispose();
    }
  });

  it('adjusts the cls loss (and only it) by the priors', () => {
    const adapter = prepared({ ...tiny, dropout: 0 } as BackboneConfig);
    const batch = toTrainBatch(batchWithStates(adapter, 2, 9));
    const ctx = { training: false, step: 0, epoch: 0, seed: 1, commitState: false };
    const losses = (): { lm: number; cls: number } => {
      const out = adapter.forward(batch, ctx).losses;
      const v = { lm: out['lm']!.dataSync()[0] as number, cls: out['cls']!.dataSync()[0] as number };
      tf.dispose(Object.values(out));
      return v;
    };
    try {
      const before = losses();
      adapter.onValidation?.({ meanPositiveProb: Array.from({ length: 14 }, (_, c) => (c + 1) / 14) });
      const after = losses();
      expect(after.lm).toBe(before.lm);
      expect(after.cls).not.toBeCloseTo(before.cls, 4);
    } finally {
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('builds a deterministic bank whose nearest reports share findings', () => {
    const bank = ReportBank.fromCorpus(CORPUS, 16, 3);
    const again = ReportBank.fromCorpus(CORPUS, 16, 3);
    try {
      expect(Array.from(bank.matrix.dataSync())).toEqual(Array.from(again.matrix.dataSync()));
      expect(bank.embed('normal . is heart the . clear are lungs')).toEqual(bank.row(0));
      const query = bank.embed('right pleural effusion');
      const norm = Math.hypot(...query);
      expect(norm).toBeCloseTo(1, 5);
      expect(Array.from(bank.topK(query, 2)).sort()).toEqual([1, 2]);
      // Row i retrieves itself first; equal scores go to the lower index.
      const rows = new Float32Array(6 * 16);
      for (let i = 0; i < 6; i++) rows.set(bank.row(i), i * 16);
      expect(Array.from(bank.topK(rows, 1))).toEqual([0, 1, 2, 3, 4, 5]);
      expect(Array.from(bank.topK(new Float32Array(16), 3))).toEqual([0, 1, 2]);
      expect(() => bank.topK(query, 7)).toThrow(/`retrievalK` should be an integer in \[1, 6\]/);
    } finally {
      bank.dispose();
      again.dispose();
    }
  });

  it('prompts the decoder with the states: teacher-forced at training, predicted (never the reference) at inference', () => {
    const adapter = prepared({ ...tiny, dropout: 0 } as BackboneConfig);
    const plain = batchWithStates(adapter, 2, 3);
    const other = { ...plain, aux: { labels14x4: { data: plain.aux!.labels14x4!.data.map((s) => (s + 1) % 4), shape: [2, 14] } } } as PlainBatch;
    const a = toTrainBatch(plain);
    const b = toTrainBatch(other);
    const ctx = { training: true, step: 0, epoch: 0, seed: 1, commitState: false };
    try {
      const lm = (batch: typeof a): number => {
        const { losses } = adapter.forward(batch, ctx, ['lm']);
        const v = losses['lm']!.dataSync()[0] as number;
        tf.dispose(Object.values(losses));
        return v;
      };
      expect(lm(a)).not.toBe(lm(b));
      const bare = toInferBatch({ images: plain.images });
      const withLabels = toInferBatch(other);
      const r1 = adapter.generate(bare, { beamSize: 2, maxLen: 5 });
      const r2 = adapter.generate(withLabels, { beamSize: 2, maxLen: 5 });
      expect(r2.texts).toEqual(r1.texts);
      expect(r1.clsProbs?.shape).toEqual([2, 14]);
      expect(Array.from(r2.clsProbs!.dataSync())).toEqual(Array.from(r1.clsProbs!.dataSync()));
      tf.dispose([r1.clsProbs!, r2.clsProbs!]);
      disposeBatch(bare);
      disposeBatch(withLabels);
    } finally {
      disposeBatch(a);
      disposeBatch(b);
      adapter.dispose();
    }
  });

  it('learns a fixed batch on both tasks', () => {
    const adapter = prepared({ ...tiny, dropout: 0 } as BackboneConfig);
    const batch = toTrainBatch(batchWithStates(adapter, 2, 5));
    const optimizer = tf.train.adam(3e-2);
    const ctx = { training: true, step: 0, epoch: 0, seed: 1, commitState: false };
    const values = (): number[] => {
      const { losses } = adapter.forward(batch, ctx);
      const v = [losses['lm']!.dataSync()[0] as number, losses['cls']!.dataSync()[0] as number];
      tf.dispose(Object.values(losses));
      return v;
    };
    try {
      const [lm0, cls0] = values() as [number, number];
      expect(Math.abs(lm0 - Math.log(VOCAB.length + 1))).toBeLessThan(1);
      for (let i = 0; i < 6; i++) {
        optimizer.minimize(() => {
          const { losses } = adapter.forward(batch, ctx);
          return tf.add(losses['lm']!, tf.mul(4, losses['cls']!)) as tf.Scalar;
        }, false, [...adapter.sharedParameters, ...Object.values(adapter.taskParameters).flat()]);
      }
      const [lm1, cls1] = values() as [number, number];
      expect(lm1).toBeLessThan(0.8 * lm0);
      expect(cls1).toBeLessThan(0.8 * cls0);
    } finally {
      optimizer.dispose();
      disposeBatch(batch);
      adapter.dispose();
    }
  });

  it('asks for prepare() and for the state ids, naming them', () => {
    const adapter = createPromptMRG(promptmrgTinyConfig(VOCAB));
    const plain = batchWithStates(adapter, 1, 3);
    const batch = toTrainBatch(plain);
    const bare = toTrainBatch({ ...plain, aux: {} });
    const ctx = { training: false, step: 0, epoch: 0, seed: 1, commitState: false };
    try {
      expect(() => adapter.forward(batch, ctx)).toThrow(/`prepare\(corpus\)` should be called/);
      adapter.prepare?.(CORPUS);
      expect(() => adapter.forward(bare, ctx)).toThrow(/`batch.aux.labels14x4` should be \[B, 14\] state ids/);
      expect(() => createPromptMRG({ ...promptmrgTinyConfig(VOCAB), retrievalK: 0 })).toThrow(/`retrievalK` should be an integer ≥ 1/);
    } finally {
      disposeBatch(batch);
      disposeBatch(bare);
      adapter.dispose();
    }
  });
});
