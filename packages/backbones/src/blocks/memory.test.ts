import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterStore } from '../params/parameter-store';
import { createNormal } from '../random/seed';
import { ConditionalLayerNorm } from './conditional-layer-norm';
import { CrossModalMemory, topkMask } from './cross-modal-memory';
import { layerNormalize } from './layer-norm';
import { MultiHeadAttention } from './multi-head-attention';
import { RelationalMemory } from './relational-memory';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rand = (shape: number[], seed: number): tf.Tensor => {
  const n = createNormal(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => n()), shape);
};
const infer = { training: false, seed: 0 };
const maxAbs = (t: tf.Tensor): number => tf.max(tf.abs(t)).dataSync()[0] as number;

describe('RelationalMemory', () => {
  const store = new ParameterStore(3);
  const rm = new RelationalMemory(store, 'rm', { slots: 3, d: 8, heads: 2, dropout: 0.1 });

  it('starts from identity rows padded with zeros', () => {
    expect(rm.initialState(2).arraySync()[1]).toEqual([
      [1, 0, 0, 0, 0, 0, 0, 0],
      [0, 1, 0, 0, 0, 0, 0, 0],
      [0, 0, 1, 0, 0, 0, 0, 0],
    ]);
  });

  it('returns the flattened state after each input, equal to stepping by hand, and causal', () => {
    const inputs = rand([2, 4, 8], 1) as tf.Tensor3D;
    const states = rm.apply(inputs, infer);
    expect(states.shape).toEqual([2, 4, 24]);
    let m = rm.initialState(2);
    const steps = tf.unstack(inputs, 1) as tf.Tensor2D[];
    steps.forEach((y, t) => {
      m = rm.step(m, y, infer, t);
      expect(maxAbs(tf.sub(tf.reshape(m, [2, 24]), tf.squeeze(tf.slice(states, [0, t, 0], [2, 1, 24]), [1])))).toBe(0);
    });
    const changed = tf.concat([tf.slice(inputs, [0, 0, 0], [2, 2, 8]), rand([2, 2, 8], 2)], 1) as tf.Tensor3D;
    expect(maxAbs(tf.sub(tf.slice(rm.apply(changed, infer), [0, 0, 0], [2, 2, 24]), tf.slice(states, [0, 0, 0], [2, 2, 24])))).toBe(0);
  });

  it('keeps the gated update bounded: |M_t| ≤ 1 + |M_{t−1}| elementwise', () => {
    const m0 = rm.initialState(1);
    const m1 = rm.step(m0, rand([1, 8], 3) as tf.Tensor2D, infer, 0);
    const bound = tf.add(tf.abs(m0), 1);
    expect(tf.all(tf.lessEqual(tf.abs(m1), bound)).dataSync()[0]).toBe(1);
  });
});

describe('ConditionalLayerNorm (MCLN)', () => {
  it('is γ̂ ⊙ x̂ + β̂ with γ̂ = γ + MLP_γ(m): with zero MLP weights the 0.1 biases give 1.1·x̂ + 0.1', () => {
    const store = new ParameterStore(4);
    const norm = new ConditionalLayerNorm(store, 'mcln', 6, 9);
    for (const e of store.entries()) if (e.name.endsWith('.weight')) e.variable.assign(tf.zerosLike(e.variable));
    const x = rand([2, 3, 6], 5) as tf.Tensor3D;
    const y = norm.apply(x, rand([2, 3, 9], 6) as tf.Tensor3D);
    const expected = tf.add(tf.mul(layerNormalize(x), 1.1), 0.1);
    expect(maxAbs(tf.sub(y, expected))).toBeLessThan(1e-6);
    store.dispose();
  });
});

describe('CrossModalMemory', () => {
  it('topkMask marks exactly the k largest entries of each row', () => {
    const mask = topkMask(tf.tensor2d([[0.1, 0.9, 0.5, 0.7], [4, 3, 2, 1]]), 2, 4);
    expect(mask.arraySync()).toEqual([[0, 1, 0, 1], [1, 1, 0, 0]]);
  });

  it('answers [B, N, d] queries, and memory rows no query selects get exactly zero gradient', () => {
    const store = new ParameterStore(5);
    const cmm = new CrossModalMemory(store, 'cmm', { size: 32, d: 8, heads: 2, topk: 2, dropout: 0 });
    const queries = rand([1, 2, 8], 7) as tf.Tensor3D;
    expect(cmm.apply(queries, infer).shape).toEqual([1, 2, 8]);
    const g = tf.grad(() => tf.sum(tf.mul(cmm.apply(queries, infer), rand([1, 2, 8], 8))))(cmm.memory);
    const rows = tf.sum(tf.abs(g), 1).arraySync() as number[];
    const touched = rows.filter((r) => r > 0).length;
    // 2 queries × 2 heads × top-2 select at most 8 of the 32 rows.
    expect(touched).toBeGreaterThan(0);
    expect(touched).toBeLessThanOrEqual(8);
    store.dispose();
  });

  it('with topk = size equals multi-head attention over the memory rows; smaller k differs', () => {
    // Variables are seeded by name, so an attention block named like the memory's projections has the same weights.
    const a = new ParameterStore(6);
    const b = new ParameterStore(6);
    const dense = new CrossModalMemory(a, 'cmm', { size: 6, d: 8, heads: 2, topk: 6, dropout: 0 });
    const sparse = new CrossModalMemory(b, 'cmm', { size: 6, d: 8, heads: 2, topk: 3, dropout: 0 });
    const attention = new MultiHeadAttention(new ParameterStore(6), 'cmm', 8, 2, 0);
    const q = rand([1, 3, 8], 9) as tf.Tensor3D;
    const rows = tf.expandDims(dense.memory, 0) as tf.Tensor3D;
    expect(maxAbs(tf.sub(dense.apply(q, infer), attention.apply(q, rows, rows, undefined, infer)))).toBeLessThan(1e-5);
    expect(maxAbs(tf.sub(sparse.apply(q, infer), dense.apply(q, infer)))).toBeGreaterThan(1e-4);
    expect(() => new CrossModalMemory(a, 'bad', { size: 4, d: 8, heads: 2, topk: 5, dropout: 0 })).toThrow(/`bad.topk` should be an integer in \[1, size = 4\]/);
  });
});
