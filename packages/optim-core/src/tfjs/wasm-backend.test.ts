import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAggregator } from '../aggregators/registry';
import { MultiTaskOptimizer } from './multi-task-optimizer';
import { RecordingOptimizer, createTwoTaskModel, flatValues } from './two-task-model.fixture';

let previous = '';
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  previous = tf.getBackend();
  await tf.setBackend('wasm');
});
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

describe('wasm backend', () => {
  test('combined gradient equals the float64 aggregate; no leaks over 20 Adam steps', () => {
    expect(tf.getBackend()).toBe('wasm');
    const model = createTwoTaskModel('wasm', 3);
    const rows = [0, 1].map((i) => {
      const { value, grads } = tf.variableGrads(() => model.losses()[i] as tf.Scalar, model.variables as tf.Variable[]);
      const parts = model.variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
      const row = flatValues(parts);
      tf.dispose([value, ...parts]);
      return row;
    });
    const ref = createAggregator('came-grad', { weights: [1, 4] }).aggregate(rows);
    const inner = new RecordingOptimizer();
    const res = new MultiTaskOptimizer({ inner, variables: model.variables }).step(model.losses, { weights: [1, 4] });
    const got = (inner.calls[0] ?? []).flatMap((c) => Array.from(c.values ?? []));
    const scale = Math.max(...Array.from(ref.direction, Math.abs));
    got.forEach((x, d) => expect(Math.abs(x - (ref.direction[d] as number))).toBeLessThanOrEqual(1e-5 * (Math.abs(ref.direction[d] as number) + 1e-2 * scale)));
    (res.weights as Float64Array).forEach((f, i) => expect(f).toBeCloseTo(ref.weights[i] as number, 5));

    const opt = new MultiTaskOptimizer({ inner: tf.train.adam(0.01), variables: model.variables });
    const input = { encode: model.encode, heads: model.headLosses };
    opt.step(model.losses, { weights: [1, 4] });
    const before = tf.memory().numTensors;
    for (let s = 0; s < 10; s++) {
      opt.step(model.losses, { weights: [1, 4] });
      opt.step(input, { weights: [1, 4] });
    }
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    model.dispose();
  });
});
