import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, test } from 'vitest';
import { InvalidOptionError } from '../errors';
import { MultiTaskOptimizer } from './multi-task-optimizer';
import type { MultiTaskOptimizerOptions } from './multi-task-options';
import { RecordingOptimizer, createTwoTaskModel } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const OMEGA = [1, 2.5];

function recorded(inner: RecordingOptimizer): Float32Array {
  return Float32Array.from((inner.calls[0] ?? []).flatMap((c) => Array.from(c.values ?? [])));
}

/** ‖a − b‖ ≤ rtol·‖b‖ and ‖b‖ > 0. */
function expectRelClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number): void {
  expect(a.length).toBe(b.length);
  let diff = 0, norm = 0;
  for (let i = 0; i < b.length; i++) {
    diff += ((a[i] as number) - (b[i] as number)) ** 2;
    norm += (b[i] as number) ** 2;
  }
  expect(norm).toBeGreaterThan(0);
  expect(Math.sqrt(diff)).toBeLessThanOrEqual(rtol * Math.sqrt(norm));
}

/** One step of a fresh model with `options`, through `mode`; returns what the inner optimizer got. */
function gradientsOf(prefix: string, mode: 'parameters' | 'representation', options: Partial<MultiTaskOptimizerOptions>, weights = OMEGA) {
  const model = createTwoTaskModel(prefix, 17);
  const inner = new RecordingOptimizer();
  const opt = new MultiTaskOptimizer({ inner, variables: model.variables, method: { id: 'linear', options: { weights: OMEGA } }, ...options });
  const res = mode === 'parameters' ? opt.step(model.losses, { weights }) : opt.step({ encode: model.encode, heads: model.headLosses }, { weights });
  const grads = recorded(inner);
  model.dispose();
  return { res, grads };
}

describe('linear fast path (one backward of Σ ω_i L_i)', () => {
  test.each(['parameters', 'representation'] as const)('equals the per-task path with diagnostics to 1e-6 relative (%s)', (mode) => {
    const fast = gradientsOf(`fast-${mode}`, mode, {});
    const full = gradientsOf(`full-${mode}`, mode, { diagnostics: true });
    expectRelClose(fast.grads, full.grads, 1e-6);
    expect(Array.from(fast.res.weights as Float64Array)).toEqual(OMEGA);
    expect(Array.from(full.res.weights as Float64Array)).toEqual(OMEGA);
    expect(Array.from(fast.res.losses)).toEqual(Array.from(full.res.losses));
    expect([fast.res.gram, fast.res.info, fast.res.diagnostics]).toEqual([null, null, null]);
    expect(full.res.diagnostics?.energyRatio).toBeGreaterThan(0);
    expect(fast.res.scope).toBe(mode === 'parameters' ? 'all' : 'representation');
    expect(fast.res.gradNorm).toBeCloseTo(full.res.gradNorm as number, 5);
  });

  test('a zero-weight task is left out of the sum, so its NaN loss does not matter', () => {
    const model = createTwoTaskModel('fast-drop', 19);
    const inner = new RecordingOptimizer();
    const opt = new MultiTaskOptimizer({ inner, variables: model.variables, method: 'linear' });
    const res = opt.step(() => {
      const [a, b] = model.losses() as [tf.Scalar, tf.Scalar];
      return [a, tf.div(b, tf.scalar(0)) as tf.Scalar];
    }, { weights: [1, 0] });
    expect([res.applied, res.droppedTasks, Array.from(res.weights as Float64Array)]).toEqual([true, [1], [1, 0]]);
    const reference = tf.variableGrads(() => model.losses()[0] as tf.Scalar, model.variables as tf.Variable[]);
    // The cls head (wc) is reached by task 1 only: it gets no gradient at all, as with minimize.
    const expected = Float32Array.from(model.variables.flatMap((v) => Array.from(reference.grads[v.name]?.dataSync() ?? [])));
    expect((inner.calls[0] ?? []).find((c) => c.name.endsWith('/wc'))?.values).toBeNull();
    tf.dispose([reference.value, ...Object.values(reference.grads)]);
    expectRelClose(recorded(inner), expected, 1e-6);
    model.dispose();
  });

  test('no tensor leaks over many steps; a NaN loss of an active task skips the step', () => {
    const model = createTwoTaskModel('fast-leak', 23);
    const opt = new MultiTaskOptimizer({ inner: tf.train.adam(0.01), variables: model.variables, method: 'linear' });
    opt.step(model.losses, { weights: OMEGA });
    const before = tf.memory().numTensors;
    for (let s = 0; s < 10; s++) opt.step(model.losses, { weights: OMEGA });
    for (let s = 0; s < 5; s++) opt.step({ encode: model.encode, heads: model.headLosses }, { weights: OMEGA });
    expect(tf.memory().numTensors).toBe(before);
    const vars = model.snapshot();
    const res = opt.step(() => model.losses().map((l) => tf.div(l, tf.scalar(0)) as tf.Scalar));
    expect(res.skipped).toBe('non-finite-loss');
    expect(model.snapshot()).toEqual(vars);
    expect(opt.step(model.losses, { weights: [0, 0] }).skipped).toBe('no-active-task');
    expect(tf.memory().numTensors).toBe(before);
    expect([opt.stepsApplied, opt.stepsSkipped]).toEqual([16, 2]);
    opt.dispose();
    model.dispose();
  });

  test('`diagnostics` is validated and round-trips through the config', () => {
    const model = createTwoTaskModel('fast-config', 29);
    expect(() => new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), diagnostics: 'yes' as unknown as boolean })).toThrow(InvalidOptionError);
    const opt = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), variables: model.variables, method: 'linear', diagnostics: true });
    expect(opt.getConfig()['diagnostics']).toBe(true);
    model.dispose();
  });
});

describe('per-task backward passes run off the tape', () => {
  test('the once-forward step records no backward kernels: it runs fewer kernels than K separate forwards', async () => {
    const model = createTwoTaskModel('untaped', 31);
    const once = new MultiTaskOptimizer({ inner: new RecordingOptimizer(), variables: model.variables });
    const perTask = new MultiTaskOptimizer({ inner: new RecordingOptimizer(), variables: model.variables, forward: 'per-task' });
    const count = async (opt: MultiTaskOptimizer): Promise<number> => (await tf.profile(() => void opt.step(model.losses))).kernels.length;
    const a = await count(once);
    const b = await count(perTask);
    // Recording the nested backward passes clones every saved input (one Identity per input a
    // gradient needs); without the recording, one forward costs fewer kernels than two.
    expect(a).toBeLessThan(b);
    model.dispose();
  });
});
