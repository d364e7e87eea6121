import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { createAggregator } from '../aggregators/registry';
import { NonFiniteError, ShapeError } from '../errors';
import { createTensorAggregator } from './tensor-aggregator';
import { lcgValues } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe('createTensorAggregator', () => {
  for (const [id, options, K] of [
    ['came-grad', { weights: [1, 4, 0.5] }, 3],
    ['mgda', {}, 4],
    ['cagrad', { c: 0.4 }, 2],
    ['linear', { reduction: 'mean' }, 5],
  ] as const) {
    test(`${id}: direction and weights equal the plain-array aggregate of the same rows (rtol 1e-5)`, () => {
      const n = 5000;
      const rows = Array.from({ length: K }, (_, i) => lcgValues(211 + i, n, 1e-3 * (i + 1)));
      const J = tf.tensor2d(Float32Array.from(rows.flatMap((r) => Array.from(r))), [K, n]);
      const ref = createAggregator(id, options as never).aggregate(rows);
      const before = tf.memory().numTensors;
      const out = createTensorAggregator({ id, options }).aggregate(J);
      expect(tf.memory().numTensors).toBe(before + 1);
      const got = out.direction.dataSync();
      const scale = Math.max(...Array.from(ref.direction, Math.abs));
      got.forEach((x, d) => expect(Math.abs(x - (ref.direction[d] as number))).toBeLessThanOrEqual(1e-5 * scale));
      out.weights.forEach((w, i) => expect(Math.abs(w - (ref.weights[i] as number))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ref.weights[i] as number))));
      expect(out.info.diagnostics.gradNorms.length).toBe(K);
      tf.dispose([J, out.direction]);
    });
  }

  test('rejects a non-finite J and a J that is not [K, n]', () => {
    const agg = createTensorAggregator();
    const bad = tf.tensor2d([[1, Number.NaN], [0, 1]]);
    expect(() => agg.aggregate(bad)).toThrow(NonFiniteError);
    const flat = tf.tensor1d([1, 2]);
    expect(() => agg.aggregate(flat as unknown as tf.Tensor2D)).toThrow(ShapeError);
    expect(() => agg.aggregate(tf.tensor2d([[1, 2]]), { taskWeights: [1, 2] })).toThrow('`ctx.taskWeights` should be length 1');
    tf.dispose([bad, flat]);
  });
});
