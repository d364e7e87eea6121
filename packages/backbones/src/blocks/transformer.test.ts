import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterStore } from '../params/parameter-store';
import { createNormal } from '../random/seed';
import { causalMask, keyPaddingMask, MASKED } from './multi-head-attention';
import { TransformerDecoder } from './transformer-decoder';
import { TransformerEncoder } from './transformer-encoder';
import { sinusoidalPositions } from './word-embedding';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rand = (shape: number[], seed: number): tf.Tensor3D => {
  const n = createNormal(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => n()), shape as [number, number, number]);
};
const sizes = { layers: 2, d: 16, heads: 4, dFF: 32, dropout: 0.1 };
const train = { training: true, seed: 5 };
const infer = { training: false, seed: 0 };

describe('masks and positions', () => {
  it('builds additive causal and key-padding masks', () => {
    expect(Array.from(causalMask(3).dataSync(), (v) => v + 0)).toEqual([0, MASKED, MASKED, 0, 0, MASKED, 0, 0, 0]);
    expect(keyPaddingMask(tf.tensor2d([[1, 1, 0]])).shape).toEqual([1, 1, 1, 3]);
    expect(Array.from(keyPaddingMask(tf.tensor2d([[1, 1, 0]])).dataSync(), (v) => v + 0)).toEqual([0, 0, MASKED]);
  });

  it('encodes positions with sin on even and cos on odd channels', () => {
    const pe = sinusoidalPositions(3, 4).arraySync();
    expect(pe[0]).toEqual([0, 1, 0, 1]);
    expect(pe[2]?.[0]).toBeCloseTo(Math.sin(2), 6);
    expect(pe[2]?.[3]).toBeCloseTo(Math.cos(2 / 100), 6);
  });
});

describe('TransformerEncoder', () => {
  const store = new ParameterStore(1);
  const encoder = new TransformerEncoder(store, 'enc', sizes);

  it('maps [B, N, d] to a layer-normalised [B, N, d] and names its variables', () => {
    const y = encoder.apply(rand([2, 5, 16], 1), undefined, infer);
    expect(y.shape).toEqual([2, 5, 16]);
    // The final LayerNorm (γ = 1, β = 0) gives every token mean 0.
    expect(Math.max(...Array.from(tf.abs(tf.mean(y, -1)).dataSync()))).toBeLessThan(1e-5);
    expect(store.entries().map((e) => e.name)).toContain('enc.layers.1.selfAttn.q.weight');
    expect(store.entries().map((e) => e.name)).toContain('enc.norm.gamma');
  });

  it('draws dropout masks from the seed: same seed same output, other seed other output, none in inference', () => {
    const x = rand([2, 5, 16], 2);
    const a = encoder.apply(x, undefined, train).dataSync();
    expect(encoder.apply(x, undefined, train).dataSync()).toEqual(a);
    expect(encoder.apply(x, undefined, { training: true, seed: 6 }).dataSync()).not.toEqual(a);
    expect(encoder.apply(x, undefined, infer).dataSync()).toEqual(encoder.apply(x, undefined, { training: false, seed: 9 }).dataSync());
  });

  it('ignores masked keys', () => {
    const x = rand([1, 4, 16], 3);
    const changed = tf.concat([tf.slice(x, [0, 0, 0], [1, 3, 16]), rand([1, 1, 16], 4)], 1) as tf.Tensor3D;
    const mask = keyPaddingMask(tf.tensor2d([[1, 1, 1, 0]]));
    const a = tf.slice(encoder.apply(x, mask, infer), [0, 0, 0], [1, 3, 16]);
    const b = tf.slice(encoder.apply(changed, mask, infer), [0, 0, 0], [1, 3, 16]);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
  });
});

describe('TransformerDecoder', () => {
  const store = new ParameterStore(2);
  const plain = new TransformerDecoder(store, 'dec', sizes);
  const conditional = new TransformerDecoder(store, 'cdec', { ...sizes, conditionDim: 12 });
  const memory = rand([2, 6, 16], 10);

  it('is causal: outputs at positions ≤ i do not depend on later inputs', () => {
    const x = rand([2, 5, 16], 11);
    const later = tf.concat([tf.slice(x, [0, 0, 0], [2, 3, 16]), rand([2, 2, 16], 12)], 1) as tf.Tensor3D;
    const cond = rand([2, 5, 12], 13);
    for (const [dec, c] of [[plain, undefined], [conditional, cond]] as const) {
      const a = tf.slice(dec.apply(x, memory, causalMask(5), undefined, infer, c), [0, 0, 0], [2, 3, 16]);
      const b = tf.slice(dec.apply(later, memory, causalMask(5), undefined, infer, c), [0, 0, 0], [2, 3, 16]);
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    }
  });

  it('uses MCLN in every sublayer when conditional, and the condition changes the output', () => {
    const names = store.entries().map((e) => e.name);
    expect(names.filter((n) => /^cdec\.layers\.0\.norm\d\.mlpGamma\.0\.weight$/.test(n))).toHaveLength(3);
    expect(names).toContain('cdec.norm.gamma');
    const x = rand([2, 5, 16], 14);
    const a = conditional.apply(x, memory, causalMask(5), undefined, infer, rand([2, 5, 12], 15));
    const b = conditional.apply(x, memory, causalMask(5), undefined, infer, rand([2, 5, 12], 16));
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-3);
    expect(() => conditional.apply(x, memory, causalMask(5), undefined, infer)).toThrow(/without a condition/);
  });
});
