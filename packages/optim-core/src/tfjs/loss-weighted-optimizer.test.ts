import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { createScalarizer } from '../scalarizers/scalarizer-registry';
import { createUW } from '../scalarizers/uw';
import { AdamW } from './adamw';
import { LossWeightedOptimizer } from './loss-weighted-optimizer';
import type { LossWeightedState } from './loss-weighted-optimizer';
import { RecordingOptimizer, createTwoTaskModel } from './two-task-model.fixture';
import type { TwoTaskModel } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

let models = 0;
const model = (seed = 3): TwoTaskModel => createTwoTaskModel(`lw-${models++}`, seed);
const adamw = (): AdamW => new AdamW({ learningRate: 0.05, weightDecay: 0.01 });

/** ∇(Σ c_i L_i) over the model's variables, computed the way the step does (mul, then addN). */
function handGradient(m: TwoTaskModel, c: readonly number[]): (Float32Array | null)[] {
  const { grads } = tf.variableGrads(() => {
    const L = m.losses();
    return tf.addN(L.flatMap((l, i) => (c[i] === 0 ? [] : [tf.mul(l, tf.scalar(c[i] as number))]))) as tf.Scalar;
  }, m.variables as tf.Variable[]);
  const out = m.variables.map((v) => {
    const g = grads[v.name];
    return g === undefined ? null : Float32Array.from(g.dataSync());
  });
  tf.dispose(Object.values(grads));
  return out;
}

const recorded = (inner: RecordingOptimizer, call: number): (Float32Array | null)[] => (inner.calls[call] ?? []).map((g) => g.values);

describe('LossWeightedOptimizer', () => {
  test('uw: the update is the gradient of Σ λ_i L_i with λ = ½e^{−s}, and s learns from the losses', () => {
    const m = model();
    const inner = new RecordingOptimizer();
    const opt = new LossWeightedOptimizer({ inner, method: 'uw', variables: m.variables });
    const reference = createUW();
    reference.init(2);
    for (let step = 0; step < 3; step++) {
      const lambda = Array.from(reference.lossWeights([1, 1]).weights);
      const expected = handGradient(m, lambda);
      const result = opt.step(m.losses);
      expect(result.applied).toBe(true);
      expect(Array.from(result.lossWeights ?? [])).toEqual(lambda);
      expect(recorded(inner, step)).toEqual(expected);
      reference.update({ losses: Array.from(result.losses) });
    }
    // s_i moved away from 0 towards log L_i (the inner optimizer records only, so the losses stay put).
    expect(opt.getState().method).toEqual(reference.getState());
    expect((opt.getState().method as { logVars: number[] }).logVars.every((s) => s !== 0)).toBe(true);
    opt.dispose();
    m.dispose();
  });

  test('a gated task is observed by the method but gets no gradient', () => {
    const m = model(5);
    const inner = new RecordingOptimizer();
    const opt = new LossWeightedOptimizer({ inner, method: 'uw', variables: m.variables });
    const result = opt.step(m.losses, { active: [true, false] });
    expect(result.droppedTasks).toEqual([1]);
    expect(Array.from(result.weights ?? [])).toEqual([0.5, 0]);
    expect(recorded(inner, 0)).toEqual(handGradient(m, [0.5, 0]));
    expect((opt.getState().method as { logVars: number[] }).logVars[1]).not.toBe(0);
    opt.dispose();
    m.dispose();
  });

  test('famo: lossesAfter is a re-evaluation of the same batch after the update, and drives the logits', () => {
    const m = model(7);
    const opt = new LossWeightedOptimizer({ inner: adamw(), method: 'famo', variables: m.variables });
    const reference = createScalarizer('famo');
    reference.init(2);
    for (let step = 0; step < 3; step++) {
      const result = opt.step(m.losses);
      const L = m.losses();
      const now = Float64Array.from(tf.stack(L).dataSync());
      tf.dispose(L);
      expect(result.lossesAfter).toEqual(now);
      const lambda = reference.lossWeights(Array.from(result.losses)).weights;
      expect(result.lossWeights).toEqual(lambda);
      expect(lambda.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      reference.update({ losses: Array.from(result.losses), lossesAfter: Array.from(now) });
    }
    expect(opt.getState().method).toEqual(reference.getState());
    opt.dispose();
    m.dispose();
  });

  test('gradnorm: gradNorms are ‖∇_W L_i‖ at the shared weights W', () => {
    const m = model(9);
    const opt = new LossWeightedOptimizer({ inner: new RecordingOptimizer(), method: 'gradnorm', variables: m.variables, normVariables: m.shared });
    const result = opt.step(m.losses);
    const expected = [0, 1].map((i) => {
      const { grads } = tf.variableGrads(() => m.losses()[i] as tf.Scalar, m.shared as tf.Variable[]);
      const sq = m.shared.reduce((s, v) => s + Array.from(grads[v.name]?.dataSync() ?? []).reduce((a, x) => a + x * x, 0), 0);
      tf.dispose(Object.values(grads));
      return Math.sqrt(sq);
    });
    expect(result.gradNorms?.length).toBe(2);
    result.gradNorms?.forEach((n, i) => expect(n).toBeCloseTo(expected[i] as number, 5));
    expect(result.gradNorms?.[0]).not.toBeCloseTo(result.gradNorms?.[1] as number, 3);
    // GradNorm's weights moved off 1 and still sum to K = 2.
    const w = (opt.getState().method as { params: number[] }).params;
    expect(w[0]).not.toBe(1);
    expect((w[0] as number) + (w[1] as number)).toBeCloseTo(2, 12);
    expect(() => new LossWeightedOptimizer({ inner: new RecordingOptimizer(), method: 'gradnorm' })).toThrow(/`normVariables` should be/);
    opt.dispose();
    m.dispose();
  });

  test('dwa: epochs close when the step epoch grows, and weights change from the third epoch', () => {
    const m = model(11);
    const opt = new LossWeightedOptimizer({ inner: adamw(), method: 'dwa', variables: m.variables });
    const lambdas: number[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let s = 0; s < 2; s++) lambdas.push(Array.from(opt.step(m.losses, { epoch }).lossWeights ?? []));
    }
    expect(lambdas.slice(0, 4).every((l) => l.join() === '1,1')).toBe(true);
    expect(lambdas[4]).toEqual(lambdas[5]);
    expect(lambdas[4]?.[0]).not.toBe(1);
    expect((lambdas[4]?.[0] as number) + (lambdas[4]?.[1] as number)).toBeCloseTo(2, 12);
    opt.dispose();
    m.dispose();
  });

  test('a non-finite loss skips the step: variables and method state untouched', () => {
    const m = model(13);
    const opt = new LossWeightedOptimizer({ inner: adamw(), method: 'famo', variables: m.variables });
    opt.step(m.losses);
    const before = m.snapshot();
    const state = JSON.stringify(opt.getState());
    const result = opt.step(() => [m.losses()[0] as tf.Scalar, tf.scalar(Number.NaN)]);
    expect(result.skipped).toBe('non-finite-loss');
    expect(m.snapshot()).toEqual(before);
    expect(JSON.stringify({ ...opt.getState(), skipped: 0 })).toEqual(JSON.stringify({ ...JSON.parse(state), skipped: 0 }));
    expect(opt.stepsSkipped).toBe(1);
    opt.dispose();
    m.dispose();
  });

  test('no tensor leaks over steps for every method', () => {
    for (const method of ['uw', 'dwa', 'gradnorm', 'famo', 'rlw']) {
      const m = model(17);
      const opt = new LossWeightedOptimizer({ inner: adamw(), method, variables: m.variables, normVariables: m.shared, clip: { norm: 0.5 } });
      opt.step(m.losses, { epoch: 0 });
      const count = tf.memory().numTensors;
      for (let s = 1; s < 5; s++) opt.step(m.losses, { epoch: s });
      expect(tf.memory().numTensors, method).toBe(count);
      opt.dispose();
      m.dispose();
    }
  });

  test('deterministic: the same seed gives bitwise-identical weights (property over seeds and methods)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom('uw', 'famo', 'rlw', 'gradnorm'), (seed, method) => {
        const run = (): Float32Array => {
          const m = model(seed);
          const opt = new LossWeightedOptimizer({ inner: adamw(), method, variables: m.variables, normVariables: m.shared, seed });
          for (let s = 0; s < 3; s++) opt.step(m.losses);
          const out = m.snapshot();
          opt.dispose();
          m.dispose();
          return out;
        };
        expect(run()).toEqual(run());
      }),
      { seed: 20261127, numRuns: 8 },
    );
  });

  for (const method of ['famo', 'uw', 'rlw']) {
    test(`${method}: save after N steps, restore into a fresh optimizer (JSON state), M more steps == uninterrupted (bitwise)`, async () => {
      const m = model(19);
      const make = (): LossWeightedOptimizer => new LossWeightedOptimizer({ inner: adamw(), method, variables: m.variables, seed: 4 });
      const opt = make();
      for (let s = 0; s < 5; s++) opt.step(m.losses, { epoch: Math.floor(s / 2) });
      const saved = await opt.getWeights();
      const state = JSON.parse(JSON.stringify(opt.getState())) as LossWeightedState;
      const savedVars = m.variables.map((v) => tf.clone(v));
      for (let s = 5; s < 9; s++) opt.step(m.losses, { epoch: Math.floor(s / 2) });
      const continued = m.snapshot();
      const finalState = opt.getState();

      m.variables.forEach((v, i) => v.assign(savedVars[i] as tf.Tensor));
      const fresh = make();
      await fresh.setWeights(saved);
      fresh.setState(state);
      for (let s = 5; s < 9; s++) fresh.step(m.losses, { epoch: Math.floor(s / 2) });
      expect(m.snapshot()).toEqual(continued);
      expect(fresh.getState()).toEqual(finalState);
      tf.dispose([...savedVars, ...saved.map((w) => w.tensor)]);
      opt.dispose();
      fresh.dispose();
      m.dispose();
    });
  }
});
