import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, test } from 'vitest';
import { createAggregator } from '../aggregators/registry';
import { MultiTaskOptimizer } from './multi-task-optimizer';
import { RecordingOptimizer, createTwoTaskModel, flatValues } from './two-task-model.fixture';
import type { TwoTaskModel } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const OMEGA = [1, 4];

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number): void {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < b.length; i++) max = Math.max(max, Math.abs(b[i] as number));
  for (let i = 0; i < b.length; i++) {
    expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(rtol * (Math.abs(b[i] as number) + 1e-2 * max));
  }
}

/** The gradient of Σ ω_i L_i with respect to `vars`, by one ordinary backward pass. */
function scalarised(model: TwoTaskModel, vars: readonly tf.Variable[]): Float32Array {
  const { value, grads } = tf.variableGrads(() => {
    const [a, b] = model.losses() as [tf.Scalar, tf.Scalar];
    return tf.add(tf.mul(a, OMEGA[0] as number), tf.mul(b, OMEGA[1] as number)) as tf.Scalar;
  }, vars as tf.Variable[]);
  const out = flatValues(vars.map((v) => grads[v.name] as tf.Tensor));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

function recordedByName(inner: RecordingOptimizer, names: readonly string[]): Float32Array {
  const call = inner.calls[0] ?? [];
  return Float32Array.from(names.flatMap((n) => Array.from(call.find((c) => c.name === n)?.values ?? [])));
}

describe("paramScope 'shared'", () => {
  test('CAME-Grad acts on the shared variables only; heads get Σ ω_i ∂L_i/∂θ unscaled', () => {
    const model = createTwoTaskModel('shared', 31);
    const inner = new RecordingOptimizer();
    const opt = new MultiTaskOptimizer({
      inner, variables: model.variables, paramScope: 'shared', sharedVariables: model.shared,
      method: { id: 'came-grad', options: { weights: OMEGA } },
    });
    // Reference: rows restricted to θ_S, aggregated in float64.
    const rows = [0, 1].map((i) => {
      const { value, grads } = tf.variableGrads(() => model.losses()[i] as tf.Scalar, model.shared as tf.Variable[]);
      const row = flatValues(model.shared.map((v) => grads[v.name] as tf.Tensor));
      tf.dispose([value, ...Object.values(grads)]);
      return row;
    });
    const ref = createAggregator('came-grad', { weights: OMEGA }).aggregate(rows);
    const heads = scalarised(model, model.heads);
    const res = opt.step(model.losses);
    expect(res.scope).toBe('shared');
    expectClose(res.gram as Float64Array, gramOf(rows), 1e-5);
    expectClose(res.weights as Float64Array, ref.weights, 1e-5);
    expectClose(recordedByName(inner, model.shared.map((v) => v.name)), ref.direction, 1e-5);
    expectClose(recordedByName(inner, model.heads.map((v) => v.name)), heads, 1e-5);
    model.dispose();
  });

  test('sharedVariables may be given by name, and must name variables being trained', () => {
    const model = createTwoTaskModel('shared-names', 37);
    const inner = new RecordingOptimizer();
    const byName = new MultiTaskOptimizer({ inner, paramScope: 'shared', sharedVariables: model.shared.map((v) => v.name), variables: model.variables });
    expect(byName.step(model.losses).applied).toBe(true);
    const wrong = new MultiTaskOptimizer({ inner, paramScope: 'shared', sharedVariables: ['no-such-variable'] });
    expect(() => wrong.step(model.losses)).toThrow(/sharedVariables \("no-such-variable"\)/);
    model.dispose();
  });
});

test('frozen variables (trainable: false) in `variables` receive nothing and stay unchanged', () => {
  const model = createTwoTaskModel('frozen', 103);
  const W = model.shared[0] as tf.Variable;
  W.trainable = false;
  const before = Array.from(W.dataSync());
  // Adam keys its moments by position: the frozen variable keeps its slot, so unfreezing it later
  // does not hand another variable's moments to it (that would throw on the shape mismatch).
  const opt = new MultiTaskOptimizer({ inner: tf.train.adam(0.1), variables: model.variables });
  expect(opt.step(model.losses).applied).toBe(true);
  expect(Array.from(W.dataSync())).toEqual(before);
  W.trainable = true;
  opt.step(model.losses);
  expect(Array.from(W.dataSync())).not.toEqual(before);
  opt.dispose();
  model.dispose();
});

describe('representation mode', () => {
  test('the encoder receives one backward of Σ f_i ∂L_i/∂z; heads receive Σ ω_i ∂L_i/∂θ', () => {
    const model = createTwoTaskModel('repr', 41);
    const inner = new RecordingOptimizer();
    const opt = new MultiTaskOptimizer({ inner, variables: model.variables, method: { id: 'came-grad', options: { weights: OMEGA } } });
    // Explicit computation: feature gradients at a constant z, their float64 aggregate, and the
    // encoder's vector-Jacobian product with that upstream gradient.
    const z = model.encode();
    const dz = [0, 1].map((i) => {
      const [g] = tf.grads((zz: tf.Tensor) => model.headLosses(zz)[i] as tf.Scalar)([z]);
      const row = Float32Array.from((g as tf.Tensor).dataSync());
      g?.dispose();
      return row;
    });
    const ref = createAggregator('came-grad', { weights: OMEGA }).aggregate(dz);
    const upstream = tf.tensor(Float32Array.from(ref.direction), z.shape);
    const { grads: enc } = tf.engine().gradients(() => model.encode(), model.shared as tf.Variable[], upstream);
    const encoder = flatValues(enc as tf.Tensor[]);
    tf.dispose([z, upstream, ...(enc as tf.Tensor[])]);
    const { value, grads } = tf.variableGrads(() => {
      const zz = model.encode();
      const [a, b] = model.headLosses(tf.tensor(zz.dataSync(), zz.shape)) as [tf.Scalar, tf.Scalar];
      return tf.add(tf.mul(a, OMEGA[0] as number), tf.mul(b, OMEGA[1] as number)) as tf.Scalar;
    }, model.heads as tf.Variable[]);
    const heads = flatValues(model.heads.map((v) => grads[v.name] as tf.Tensor));
    tf.dispose([value, ...Object.values(grads)]);

    let encodes = 0;
    const res = opt.step({ encode: () => (encodes++, model.encode()), heads: model.headLosses });
    expect(encodes).toBe(1);
    expect(res.scope).toBe('representation');
    expectClose(res.weights as Float64Array, ref.weights, 1e-5);
    expectClose(res.gram as Float64Array, gramOf(dz), 1e-5);
    expectClose(recordedByName(inner, model.shared.map((v) => v.name)), encoder, 1e-5);
    expectClose(recordedByName(inner, model.heads.map((v) => v.name)), heads, 1e-5);
    model.dispose();
  });

  test('linear weights at z reproduce the scalarised gradient exactly in exact arithmetic (chain rule)', () => {
    const model = createTwoTaskModel('repr-linear', 43);
    const inner = new RecordingOptimizer();
    const opt = new MultiTaskOptimizer({ inner, variables: model.variables, method: { id: 'linear', options: { weights: OMEGA } } });
    opt.step({ encode: model.encode, heads: model.headLosses });
    const all = model.variables.map((v) => v.name);
    expectClose(recordedByName(inner, all), scalarised(model, model.variables), 1e-5);
    model.dispose();
  });

  test('no tensor leaks and NaN losses are skipped', () => {
    const model = createTwoTaskModel('repr-leak', 47);
    const opt = new MultiTaskOptimizer({ inner: tf.train.adam(0.01), variables: model.variables });
    const input = { encode: model.encode, heads: model.headLosses };
    opt.step(input, { weights: OMEGA });
    const before = tf.memory().numTensors;
    for (let s = 0; s < 20; s++) opt.step(input, { weights: OMEGA });
    expect(tf.memory().numTensors).toBe(before);
    const vars = model.snapshot();
    const res = opt.step({ encode: model.encode, heads: (z) => model.headLosses(z).map((l) => tf.div(l, tf.scalar(0)) as tf.Scalar) });
    expect(res.skipped).toBe('non-finite-loss');
    expect(model.snapshot()).toEqual(vars);
    expect(tf.memory().numTensors).toBe(before);
    expect([opt.stepsApplied, opt.stepsSkipped]).toEqual([21, 1]);
    opt.dispose();
    model.dispose();
  });
});

function gramOf(rows: readonly Float32Array[]): Float64Array {
  const K = rows.length;
  const M = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      let s = 0;
      const a = rows[i] as Float32Array, b = rows[j] as Float32Array;
      for (let d = 0; d < a.length; d++) s += (a[d] as number) * (b[d] as number);
      M[i * K + j] = s;
    }
  }
  return M;
}

describe('inactive tasks (ω_i = 0, backbones.md §6)', () => {
  const nanSecond = (model: TwoTaskModel) => (): tf.Scalar[] => {
    const [a, b] = model.losses() as [tf.Scalar, tf.Scalar];
    return [a, tf.mul(b, tf.scalar(Number.NaN)) as tf.Scalar];
  };

  for (const forward of ['once', 'per-task'] as const) {
    test(`forward '${forward}': a zero-weight task is dropped (no backward, NaN loss tolerated); the rest is the K = 1 step`, () => {
      const model = createTwoTaskModel(`drop-${forward}`, 83);
      const inner = new RecordingOptimizer();
      const opt = new MultiTaskOptimizer({ inner, variables: model.variables, forward });
      const res = opt.step(nanSecond(model), { weights: [2, 0] });
      expect(res.applied).toBe(true);
      expect(res.droppedTasks).toEqual([1]);
      expect(res.activeTasks).toEqual([0]);
      expect(res.diagnostics?.droppedTasks).toEqual([1]);
      // came-grad.md §5.10: K = 1 gives f = κ·ω_0 = 1.5·2.
      expect(res.weights?.[0]).toBeCloseTo(3, 12);
      expect(res.weights?.[1]).toBe(0);
      const { value, grads } = tf.variableGrads(() => tf.mul(model.losses()[0] as tf.Scalar, 3) as tf.Scalar, model.variables as tf.Variable[]);
      const ref = flatValues(model.variables.map((v) => grads[v.name] ?? tf.zerosLike(v)));
      tf.dispose([value, ...Object.values(grads)]);
      const got = Float32Array.from((inner.calls[0] ?? []).flatMap((c) => Array.from(c.values ?? new Float32Array(c.name.endsWith('/wc') ? 5 : 0))));
      expectClose(got, ref, 1e-6);
      expect(inner.calls[0]?.find((c) => c.name.endsWith('/wc'))?.values).toBeNull();
      model.dispose();
    });
  }

  test('dropInactiveTasks: false keeps the zero-weight row, so its NaN loss skips the step', () => {
    const model = createTwoTaskModel('drop-off', 89);
    const opt = new MultiTaskOptimizer({ inner: new RecordingOptimizer(), variables: model.variables, dropInactiveTasks: false });
    const res = opt.step(nanSecond(model), { weights: [2, 0] });
    expect(res.skipped).toBe('non-finite-loss');
    const kept = opt.step(model.losses, { weights: [2, 0] });
    expect(kept.droppedTasks).toEqual([]);
    expect((kept.gram as Float64Array).length).toBe(4);
    model.dispose();
  });

  test('all weights zero: nothing to do, the step is skipped as no-active-task', () => {
    const model = createTwoTaskModel('drop-all', 97);
    const inner = new RecordingOptimizer();
    const opt = new MultiTaskOptimizer({ inner, variables: model.variables });
    expect(opt.step(model.losses, { weights: [0, 0] }).skipped).toBe('no-active-task');
    expect(opt.step({ encode: model.encode, heads: model.headLosses }, { weights: [0, 0] }).skipped).toBe('no-active-task');
    expect(inner.calls).toHaveLength(0);
    model.dispose();
  });

  test('representation mode drops zero-weight tasks too', () => {
    const model = createTwoTaskModel('drop-repr', 101);
    const inner = new RecordingOptimizer();
    const opt = new MultiTaskOptimizer({ inner, variables: model.variables, method: 'linear' });
    const res = opt.step({ encode: model.encode, heads: (z) => nanSecond({ ...model, losses: () => model.headLosses(z) })() }, { weights: [1, 0] });
    expect(res.applied).toBe(true);
    expect(res.droppedTasks).toEqual([1]);
    model.dispose();
  });
});
