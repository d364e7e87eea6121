import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { relativeError } from '../backend-compare.js';
import { seededValues } from '../reference-model.js';
import { adamRange, ADAM_DEFAULTS } from './shared-adam.js';
import { allocateSharedState, barrierWait, rangeOf, viewSharedState } from './shared-state.js';

describe('adamRange', () => {
  it('follows tf.train.adam over 5 steps when fed the mean of two gradient slots', async () => {
    await tf.setBackend('cpu');
    const size = 12;
    const hyper = { ...ADAM_DEFAULTS, learningRate: 0.05 };
    const initial = seededValues(size, 5, 1);
    const w = tf.variable(tf.tensor1d(initial));
    const optimizer = tf.train.adam(hyper.learningRate, hyper.beta1, hyper.beta2, hyper.epsilon);
    const params = Float32Array.from(initial);
    const m = new Float32Array(size);
    const v = new Float32Array(size);
    for (let step = 1; step <= 5; step++) {
      const a = seededValues(size, 100 + step, 1);
      const b = seededValues(size, 200 + step, 1);
      const mean = a.map((x, i) => (x + b[i]!) / 2);
      optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d(mean) }]);
      // Two replicas, each updating its own half of the vector.
      adamRange(params, m, v, [a, b], 0, 7, step, hyper);
      adamRange(params, m, v, [a, b], 7, size, step, hyper);
    }
    expect(relativeError(params, w.dataSync() as Float32Array)).toBeLessThanOrEqual(1e-5);
    optimizer.dispose();
    w.dispose();
  });
});

describe('shared state', () => {
  it('lays out slots, parameters, moments and losses without overlap, and views round-trip', () => {
    const state = allocateSharedState(2, 5);
    expect(state.buffer.byteLength).toBe(16 + (2 * 5 + 3 * 5 + 2) * 4);
    state.gradSlots[1]![4] = 7;
    state.params[0] = 3;
    state.losses[1] = 9;
    const again = viewSharedState(state.buffer, 2, 5);
    expect([again.gradSlots[1]![4], again.params[0], again.losses[1], again.m[0], again.v[4]]).toEqual([7, 3, 9, 0, 0]);
    expect(() => viewSharedState(state.buffer, 2, 6)).toThrow('`buffer` should hold');
    expect(() => allocateSharedState(0, 5)).toThrow('`replicas` should be a positive integer. Found 0.');
  });

  it('splits the parameter range into disjoint covering chunks', () => {
    expect([0, 1, 2].map((r) => rangeOf(r, 3, 10))).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(rangeOf(1, 2, 1)).toEqual([1, 1]);
  });

  it('a one-party barrier passes and advances the generation', () => {
    const { control } = allocateSharedState(1, 1);
    barrierWait(control, 1);
    barrierWait(control, 1);
    expect([control[0], control[1]]).toEqual([0, 2]);
  });
});
