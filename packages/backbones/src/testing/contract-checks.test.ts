import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneAdapter, BackboneConfig, TrainBatch } from '../contract';
import {
  checkDeterminism, checkGenerate, checkGradientReach, checkNoLeaks, checkOnlyMatchesFull, checkStateMutation,
  type ContractCheckContext,
} from './contract-checks';
import { createExampleBackbone } from './example-backbone';
import { syntheticBatch } from './synthetic-batch';

// The suite must be able to fail: each broken variant of the example adapter breaks one rule.
const VOCAB = ['.', '<unk>', 'a', 'b', 'c'];
let batch: TrainBatch;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const probe = createExampleBackbone({ vocab: VOCAB });
  batch = toTrainBatch(syntheticBatch(probe, 2, 5));
  probe.dispose();
});
afterAll(() => disposeBatch(batch));

function run(check: (c: ContractCheckContext) => void, breakIt: (base: BackboneAdapter) => BackboneAdapter): void {
  const factory = (config?: BackboneConfig): BackboneAdapter => breakIt(createExampleBackbone(config ?? { vocab: VOCAB }));
  const adapter = factory();
  try {
    check({ adapter, batch, factory, batchSize: 2, maxLen: 4, steps: 1 });
  } finally {
    adapter.dispose();
  }
}

describe('contract checks reject broken adapters', () => {
  it('a shared variable declared task-specific', () => {
    expect(() => run(checkGradientReach, (a) => ({ ...a, sharedParameters: [], taskParameters: { ...a.taskParameters, lm: [...a.sharedParameters, ...(a.taskParameters['lm'] ?? [])] } })))
      .toThrow(/task-specific/);
  });

  it('a tensor kept on every forward', () => {
    expect(() => run(checkNoLeaks, (a) => ({ ...a, forward: (b, ctx, only) => { tf.keep(tf.ones([1])); return a.forward(b, ctx, only); } })))
      .toThrow(/expected \d+ to be \d+/);
  });

  it('an unseeded random draw', () => {
    expect(() => run(checkDeterminism, (a) => ({
      ...a,
      forward: (b, ctx, only) => {
        const { losses } = a.forward(b, ctx, only);
        const lm = losses['lm'] as tf.Scalar;
        const noisy = tf.tidy(() => tf.add(lm, Math.random() * 1e-3) as tf.Scalar);
        lm.dispose();
        return { losses: { ...losses, lm: noisy } };
      },
    }))).toThrow();
  });

  it('a forward that writes to a variable', () => {
    expect(() => run(checkStateMutation, (a) => ({
      ...a,
      forward: (b, ctx, only) => {
        const frozen = a.frozenParameters?.[1] as tf.Variable;
        tf.tidy(() => frozen.assign(tf.add(frozen, 1)));
        return a.forward(b, ctx, only);
      },
    }))).toThrow();
  });

  it('a task-restricted pass that differs from the full pass', () => {
    expect(() => run(checkOnlyMatchesFull, (a) => ({
      ...a,
      forward: (b, ctx, only) => {
        const { losses } = a.forward(b, ctx, only);
        if (only === undefined) return { losses };
        return { losses: tf.tidy(() => Object.fromEntries(Object.entries(losses).map(([k, v]) => [k, tf.mul(v, 2) as tf.Scalar]))) };
      },
    }))).toThrow();
  });

  it('a generated report longer than maxLen', () => {
    expect(() => run(checkGenerate, (a) => ({
      ...a,
      generate: (b, opts) => {
        const out = a.generate(b, opts);
        out.clsProbs?.dispose();
        return { texts: out.texts.map(() => Array.from({ length: opts.maxLen + 1 }, () => 'a').join(' ')) };
      },
    }))).toThrow();
  });
});
