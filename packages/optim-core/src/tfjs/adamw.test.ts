import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** float64 reference of torch.optim.AdamW for one parameter vector. */
function referenceAdamW(theta: number[], grads: number[][], lr: number, wd: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
  const m = theta.map(() => 0);
  const v = theta.map(() => 0);
  const x = [...theta];
  grads.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < x.length; i++) {
      x[i] = (x[i] as number) * (1 - lr * wd);
      m[i] = b1 * (m[i] as number) + (1 - b1) * (g[i] as number);
      v[i] = b2 * (v[i] as number) + (1 - b2) * (g[i] as number) ** 2;
      const mHat = (m[i] as number) / (1 - b1 ** t);
      const vHat = (v[i] as number) / (1 - b2 ** t);
      x[i] = (x[i] as number) - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  });
  return x;
}

const GRADS = [
  [0.5, -1, 2],
  [0.25, 0.5, -3],
  [1e-3, -2, 0.75],
  [0.1, 0.1, 0.1],
];

describe('AdamW', () => {
  it('matches a float64 reference of decoupled weight decay (torch.optim.AdamW)', () => {
    const w = tf.variable(tf.tensor1d([1, -2, 0.5]), true, 'adamw/ref');
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.05 });
    for (const g of GRADS) tf.tidy(() => opt.applyGradients({ 'adamw/ref': tf.tensor1d(g) }));
    const expected = referenceAdamW([1, -2, 0.5], GRADS, 0.1, 0.05);
    const got = Array.from(w.dataSync());
    got.forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 5));
    expect(opt.step).toBe(GRADS.length);
    opt.dispose();
    w.dispose();
  });

  it('applies group learning-rate scales and weight decays', () => {
    const a = tf.variable(tf.tensor1d([1, 1]), true, 'adamw/a');
    const b = tf.variable(tf.tensor1d([1, 1]), true, 'adamw/b');
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0, groups: [{ name: 'slow', variables: ['adamw/b'], lrScale: 0.5, weightDecay: 0.2 }] });
    tf.tidy(() => opt.applyGradients({ 'adamw/a': tf.tensor1d([1, -1]), 'adamw/b': tf.tensor1d([1, -1]) }));
    const expectA = referenceAdamW([1, 1], [[1, -1]], 0.1, 0);
    const expectB = referenceAdamW([1, 1], [[1, -1]], 0.05, 0.2);
    Array.from(a.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(expectA[i] as number, 6));
    Array.from(b.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(expectB[i] as number, 6));
    opt.dispose();
    a.dispose();
    b.dispose();
  });

  it('resumes bit for bit from getWeights/setWeights and leaks no tensors', async () => {
    const run = async (splitAt: number | null): Promise<Float32Array> => {
      const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -2, 0.5]), true, `adamw/resume-${splitAt}`));
      let opt = new AdamW({ learningRate: 0.05, weightDecay: 0.01 });
      for (const [i, g] of GRADS.entries()) {
        if (i === splitAt) {
          const saved = await opt.getWeights();
          opt.dispose();
          opt = new AdamW({ learningRate: 0.05, weightDecay: 0.01 });
          await opt.setWeights(saved);
          tf.dispose(saved.map((s) => s.tensor));
        }
        tf.tidy(() => opt.applyGradients({ [w.name]: tf.tensor1d(g) }));
      }
      const out = w.dataSync().slice() as Float32Array;
      opt.dispose();
      w.dispose();
      return out;
    };
    const before = tf.memory().numTensors;
    const straight = await run(null);
    const resumed = await run(2);
    expect(Array.from(resumed)).toEqual(Array.from(straight));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects invalid options naming the option', () => {
    expect(() => new AdamW({ learningRate: -1 })).toThrow('`learningRate` should be a finite number ≥ 0. Found -1.');
    expect(() => new AdamW({ learningRate: 1, beta2: 1 })).toThrow('`beta2` should be in [0, 1)');
    expect(() => new AdamW({ learningRate: 1, groups: [{ name: 'a', variables: ['x'] }, { name: 'b', variables: ['x'] }] })).toThrow(
      '`groups[1].variables` should be variables that belong to one group only',
    );
  });

  it('round-trips its config', () => {
    const opt = new AdamW({ learningRate: 0.01, weightDecay: 0.1, groups: [{ name: 'v', variables: ['p'], lrScale: 0.5 }] });
    const copy = AdamW.fromConfig(AdamW, opt.getConfig());
    expect(copy.getConfig()).toEqual(opt.getConfig());
    expect(AdamW.className).toBe('CameGradAdamW');
  });
});
