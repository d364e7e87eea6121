import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, test } from 'vitest';
import { AdamW } from './adamw';
import { RotoGradOptimizer } from './rotograd-optimizer';
import type { RotoGradLosses, RotoGradState } from './rotograd-optimizer';
import { RecordingOptimizer, createTwoTaskModel } from './two-task-model.fixture';
import type { TwoTaskModel } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

let models = 0;
const model = (seed = 3): TwoTaskModel => createTwoTaskModel(`rg-${models++}`, seed);
const split = (m: TwoTaskModel): RotoGradLosses => ({
  encode: m.encode,
  taskLoss: (z, k) => m.headLosses(z)[k] as tf.Scalar,
  tasks: 2,
});

/** z Rᵀ for the model's B×H features and a row-major H×H rotation. */
function rotated(m: TwoTaskModel, R: Float64Array, H: number): tf.Tensor {
  return tf.matMul(m.encode(), tf.tensor2d(Float32Array.from(R), [H, H]), false, true);
}

describe('RotoGradOptimizer', () => {
  test('first step: the encoder receives Σ_k (C/‖g_k‖) ∂L_k/∂θ with C = mean ‖g_k‖, heads their own gradient', () => {
    const m = model(5);
    const inner = new RecordingOptimizer();
    const opt = new RotoGradOptimizer({ inner, variables: m.variables });
    const result = opt.step(split(m));
    expect(result.applied).toBe(true);
    // By hand: g_k = ∂L_k/∂z (R = I at the first step), its norm, then the encoder VJP.
    const z = m.encode();
    const g = [0, 1].map((k) => tf.grad((zz: tf.Tensor) => m.headLosses(zz)[k] as tf.Scalar)(z));
    const norms = g.map((gk) => Math.sqrt(Array.from(gk.dataSync()).reduce((s, x) => s + x * x, 0)));
    const C = (norms[0]! + norms[1]!) / 2;
    expect(result.C).toBeCloseTo(C, 6);
    expect(Array.from(result.alphas ?? [])).toEqual([0.5, 0.5]);
    const upstream = tf.addN(g.map((gk, k) => tf.mul(gk, C / norms[k]!)));
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(m.encode(), upstream)) as tf.Scalar, m.shared as tf.Variable[]);
    const call = inner.calls[0]!;
    m.shared.forEach((v, i) => {
      const got = call[i]!.values!;
      const want = grads[v.name]!.dataSync();
      got.forEach((x, j) => expect(x).toBeCloseTo(want[j] as number, 6));
    });
    // Heads: each reaches one task only, so it gets that task's plain gradient.
    const { grads: headGrads } = tf.variableGrads(() => tf.addN(m.losses()) as tf.Scalar, m.heads as tf.Variable[]);
    m.heads.forEach((v, i) => expect(call[2 + i]!.values).toEqual(headGrads[v.name]!.dataSync()));
    tf.dispose([z, ...g, upstream, ...Object.values(grads), ...Object.values(headGrads)]);
    opt.dispose();
    m.dispose();
  });

  test('rotations leave the identity, stay rotations, and task k reads R_k z', () => {
    const m = model(7);
    const opt = new RotoGradOptimizer({ inner: new AdamW({ learningRate: 0.02, weightDecay: 0 }), variables: m.variables, rotationLr: 0.05 });
    for (let s = 0; s < 3; s++) opt.step(split(m));
    const H = 5;
    const Rs = opt.rotationMatrices;
    expect(Rs).toHaveLength(2);
    for (const R of Rs) {
      expect(Math.abs((R[0] as number) - 1)).toBeGreaterThan(1e-6);
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < H; j++) {
          let s = 0;
          for (let k = 0; k < H; k++) s += R[k * H + i]! * R[k * H + j]!;
          expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
        }
      }
    }
    const next = opt.getState().rotations.map((r) => Float64Array.from(r.rotation));
    const expected = [0, 1].map((k) => {
      const y = rotated(m, next[k]!, H);
      const loss = m.headLosses(y)[k]!.dataSync()[0] as number;
      y.dispose();
      return loss;
    });
    const result = opt.step(split(m));
    expect(result.losses[0]).toBeCloseTo(expected[0]!, 5);
    expect(result.losses[1]).toBeCloseTo(expected[1]!, 5);
    expect(result.rotationLoss).toBeGreaterThan(0);
    opt.dispose();
    m.dispose();
  });

  test('a partial rotation (rotationSize m < d) leaves the other features alone', () => {
    const m = model(9);
    const opt = new RotoGradOptimizer({ inner: new AdamW({ learningRate: 0.02 }), variables: m.variables, rotationSize: 3, rotationLr: 0.05 });
    for (let s = 0; s < 2; s++) opt.step(split(m));
    expect(opt.getState().m).toBe(3);
    expect(opt.rotationMatrices[0]).toHaveLength(9);
    expect(() => new RotoGradOptimizer({ inner: new AdamW({ learningRate: 0.02 }), rotationSize: 0 })).toThrow(/`rotationSize` should be an integer ≥ 1/);
    opt.dispose();
    m.dispose();
  });

  test('no tensor leaks over steps', () => {
    const m = model(11);
    const opt = new RotoGradOptimizer({ inner: new AdamW({ learningRate: 0.02 }), variables: m.variables, clip: { norm: 0.1 } });
    opt.step(split(m));
    const count = tf.memory().numTensors;
    for (let s = 0; s < 4; s++) opt.step(split(m));
    expect(tf.memory().numTensors).toBe(count);
    opt.dispose();
    m.dispose();
  });

  test('a non-finite loss skips: weights, rotations and magnitude state untouched', () => {
    const m = model(13);
    const opt = new RotoGradOptimizer({ inner: new AdamW({ learningRate: 0.02 }), variables: m.variables });
    opt.step(split(m));
    const before = m.snapshot();
    const state = opt.getState();
    const result = opt.step({ ...split(m), taskLoss: (z, k) => (k === 1 ? tf.scalar(Number.NaN) : (m.headLosses(z)[0] as tf.Scalar)) });
    expect(result.skipped).toBe('non-finite-loss');
    expect(m.snapshot()).toEqual(before);
    expect({ ...opt.getState(), skipped: 0 }).toEqual({ ...state, skipped: 0 });
    opt.dispose();
    m.dispose();
  });

  test('resume: N steps, JSON state + inner weights into a fresh optimizer, M steps == uninterrupted (bitwise), across the burn-in reset', async () => {
    const m = model(17);
    const make = (): RotoGradOptimizer => new RotoGradOptimizer({ inner: new AdamW({ learningRate: 0.02 }), variables: m.variables, burnIn: 4, rotationLr: 0.01 });
    const opt = make();
    for (let s = 0; s < 3; s++) opt.step(split(m));
    const saved = await opt.getWeights();
    const state = JSON.parse(JSON.stringify(opt.getState())) as RotoGradState;
    const savedVars = m.variables.map((v) => tf.clone(v));
    for (let s = 0; s < 4; s++) opt.step(split(m));
    const continued = m.snapshot();
    const finalState = opt.getState();
    m.variables.forEach((v, i) => v.assign(savedVars[i] as tf.Tensor));
    const fresh = make();
    await fresh.setWeights(saved);
    fresh.setState(state);
    for (let s = 0; s < 4; s++) fresh.step(split(m));
    expect(m.snapshot()).toEqual(continued);
    expect(fresh.getState()).toEqual(finalState);
    tf.dispose([...savedVars, ...saved.map((w) => w.tensor)]);
    opt.dispose();
    fresh.dispose();
    m.dispose();
  });
});
