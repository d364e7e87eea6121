import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNormal } from '../random/seed';
import { gelu, geluReference } from './gelu';
import { layerNormalize, layerNormalizeReference } from './layer-norm';
import { maskedSoftmaxCrossEntropy, maskedSoftmaxCrossEntropyReference } from './softmax-cross-entropy';
import { stopGradient } from './stop-gradient';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const n = createNormal(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => n() * scale), shape);
}

// max |a − b| / max |b|: float32 rounding makes element-wise ratios meaningless near zero.
function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs((x[i] as number) - (y[i] as number)));
    scale = Math.max(scale, Math.abs(y[i] as number));
  }
  return diff / scale;
}

// Gradient of Σ w ⊙ f(x) for a fixed random w, so every output element matters.
function weightedGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(f(input), w)))(x);
}

describe('gelu', () => {
  it('has the tanh-approximation values', () => {
    const y = gelu(tf.tensor1d([-3, -1, 0, 1, 2]));
    // 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), evaluated in float64.
    const expected = [-3, -1, 0, 1, 2].map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6));
    expect(expected[3]).toBeCloseTo(0.841192, 6);
  });

  it('matches the stock-op version in value and gradient to 1e-5', () => {
    const x = randomTensor([4, 33], 1, 2);
    const w = randomTensor([4, 33], 2);
    expect(maxRelDiff(gelu(x), geluReference(x))).toBeLessThan(1e-5);
    expect(maxRelDiff(weightedGrad(gelu, x, w), weightedGrad(geluReference, x, w))).toBeLessThan(1e-5);
  });
});

describe('layerNormalize', () => {
  it('uses the unbiased std with eps added to the std', () => {
    const y = layerNormalize(tf.tensor2d([[1, 2, 3, 4]]));
    const std = Math.sqrt(5 / 3);
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo((i + 1 - 2.5) / (std + 1e-6), 6));
  });

  it('matches the stock-op version in value and gradient to 1e-5, on rows of any scale', () => {
    const x = tf.concat([randomTensor([3, 5, 16], 3, 1), randomTensor([1, 5, 16], 4, 100)]);
    const w = randomTensor([4, 5, 16], 5);
    expect(maxRelDiff(layerNormalize(x), layerNormalizeReference(x))).toBeLessThan(1e-5);
    expect(maxRelDiff(weightedGrad((t) => layerNormalize(t), x, w), weightedGrad((t) => layerNormalizeReference(t), x, w))).toBeLessThan(1e-5);
  });

  it('gives a zero, finite gradient on a constant row', () => {
    const g = weightedGrad((t) => layerNormalize(t), tf.fill([1, 8], 3), randomTensor([1, 8], 6));
    const values = Array.from(g.dataSync());
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
    // The normalised row is 0, so only (g − mean g)/eps remains: sums to 0 across the row.
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 0);
  });

  it('rejects a last axis of size 1 (the unbiased std divides by n − 1)', () => {
    expect(() => layerNormalize(tf.ones([2, 1]))).toThrow(/layer norm input last axis` should be at least 2/);
  });
});

describe('maskedSoftmaxCrossEntropy', () => {
  const targets = tf.tensor1d([0, 3, 2, 1, 4, 0], 'int32');
  const mask = tf.tensor1d([1, 1, 1, 0, 1, 0]);

  it('equals the masked mean NLL computed by hand', () => {
    const logits = tf.tensor2d([[0, 0, 0, 0, 0], [1, 2, 3, 4, 5]], [2, 5]);
    const loss = maskedSoftmaxCrossEntropy(logits, tf.tensor1d([2, 4], 'int32'), tf.tensor1d([1, 1]));
    const lse = Math.log([1, 2, 3, 4, 5].reduce((a, b) => a + Math.exp(b), 0));
    expect(loss.dataSync()[0]).toBeCloseTo((Math.log(5) + (lse - 5)) / 2, 6);
  });

  it('matches the stock-op version in value and gradient to 1e-5 and ignores masked rows', () => {
    const logits = randomTensor([6, 5], 7, 3) as tf.Tensor2D;
    const f = (l: tf.Tensor): tf.Scalar => maskedSoftmaxCrossEntropy(l as tf.Tensor2D, targets, mask);
    const ref = (l: tf.Tensor): tf.Scalar => maskedSoftmaxCrossEntropyReference(l as tf.Tensor2D, targets, mask);
    expect(maxRelDiff(f(logits), ref(logits))).toBeLessThan(1e-5);
    const g = tf.grad(f)(logits);
    expect(maxRelDiff(g, tf.grad(ref)(logits))).toBeLessThan(1e-5);
    expect(Array.from(tf.slice(g, [3, 0], [1, 5]).dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('gives 0 for an all-zero mask instead of NaN', () => {
    expect(maskedSoftmaxCrossEntropy(tf.ones([2, 3]), tf.tensor1d([0, 1], 'int32'), tf.zeros([2])).dataSync()[0]).toBe(0);
  });
});

describe('custom ops and memory', () => {
  it('stopGradient passes values and blocks gradients', () => {
    const x = tf.tensor1d([1, 2, 3]);
    expect(Array.from(stopGradient(x).dataSync())).toEqual([1, 2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.add(tf.mul(stopGradient(t), t), t)))(x);
    // d/dx (c·x + x) with c = x held constant is c + 1.
    expect(Array.from(g.dataSync())).toEqual([2, 3, 4]);
  });

  it('leaks no tensors through forward and backward of every op', () => {
    const x = randomTensor([2, 6], 8);
    const t = tf.tensor1d([1, 2], 'int32');
    const m = tf.ones([2]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        tf.grad((a: tf.Tensor) => tf.sum(gelu(a)))(x);
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layerNormalize(a), x)))(x);
        tf.grad((a: tf.Tensor) => maskedSoftmaxCrossEntropy(a as tf.Tensor2D, t, m))(x);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
