import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createAggregator, createWeighting } from '../aggregators/registry';
import { CameError, InvalidOptionError, ShapeError, SolverError } from '../errors';
import type { Weighting } from '../types';
import { MultiTaskOptimizer } from './multi-task-optimizer';
import { taskJacobian } from './tensor-aggregator';
import { RecordingOptimizer, createTwoTaskModel, flatValues } from './two-task-model.fixture';
import type { TwoTaskModel } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/** Per-task gradients computed independently (one tf.variableGrads per loss), flattened as rows. */
function referenceRows(model: TwoTaskModel, vars: readonly tf.Variable[] = model.variables): Float32Array[] {
  return [0, 1].map((i) => {
    const { value, grads } = tf.variableGrads(() => model.losses()[i] as tf.Scalar, vars as tf.Variable[]);
    const parts = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
    const row = flatValues(parts);
    tf.dispose([value, ...parts]);
    return row;
  });
}

function recorded(inner: RecordingOptimizer, call = 0): Float32Array {
  const parts = (inner.calls[call] ?? []).map((c) => c.values ?? new Float32Array(0));
  return Float32Array.from(parts.flatMap((p) => Array.from(p)));
}

/** ‖a − b‖ ≤ rtol·‖b‖, plus elementwise |a−b| ≤ rtol·(|b| + max|b|·1e-2). */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number): void {
  expect(a.length).toBe(b.length);
  let diff = 0, norm = 0, max = 0;
  for (let i = 0; i < b.length; i++) max = Math.max(max, Math.abs(b[i] as number));
  for (let i = 0; i < b.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    diff += d * d;
    norm += (b[i] as number) ** 2;
    expect(Math.abs(d)).toBeLessThanOrEqual(rtol * (Math.abs(b[i] as number) + 1e-2 * max));
  }
  expect(Math.sqrt(diff)).toBeLessThanOrEqual(rtol * Math.sqrt(norm));
}

describe('MultiTaskOptimizer, paramScope all', () => {
  test('the combined gradient equals createAggregator(...).aggregate on the same per-task gradients', () => {
    const model = createTwoTaskModel('agree', 3);
    const inner = new RecordingOptimizer();
    const opt = new MultiTaskOptimizer({ inner, method: { id: 'came-grad', options: { weights: [1, 4] } }, variables: model.variables });
    const rows = referenceRows(model);
    const ref = createAggregator('came-grad', { weights: [1, 4] }).aggregate(rows);
    const res = opt.step(model.losses);
    expect(res.applied).toBe(true);
    expect(res.scope).toBe('all');
    expectClose(res.weights as Float64Array, ref.weights, 1e-5);
    expectClose(recorded(inner), ref.direction, 1e-5);
    expect(res.diagnostics?.energyRatio).toBeCloseTo(ref.info.diagnostics.energyRatio as number, 5);
    expect(res.losses.length).toBe(2);
    // Both tasks conflict on this seed or not: the diagnostic must match the float64 reference either way.
    expect(res.diagnostics?.anyConflict).toBe(ref.info.diagnostics.anyConflict);
    opt.dispose();
    model.dispose();
  });

  test("linear with ω reproduces the scalarised gradient of Σ ω_i L_i", () => {
    const model = createTwoTaskModel('linear', 5);
    const inner = new RecordingOptimizer();
    // `linear` with `weights` is the weighted sum; the step's ω overrides the configured one.
    const opt = new MultiTaskOptimizer({ inner, method: { id: 'linear', options: { weights: [1, 1] } }, variables: model.variables });
    const res = opt.step(model.losses, { weights: [0.25, 3] });
    expect(Array.from(res.weights as Float64Array)).toEqual([0.25, 3]);
    const { value, grads } = tf.variableGrads(() => {
      const [a, b] = model.losses() as [tf.Scalar, tf.Scalar];
      return tf.add(tf.mul(a, 0.25), tf.mul(b, 3)) as tf.Scalar;
    }, model.variables as tf.Variable[]);
    const scalarised = flatValues(model.variables.map((v) => grads[v.name] as tf.Tensor));
    tf.dispose([value, ...Object.values(grads)]);
    expectClose(recorded(inner), scalarised, 1e-5);
    model.dispose();
  });

  test('one forward pass serves all K backward passes, and equals K separate passes', () => {
    const model = createTwoTaskModel('forward', 7);
    let forwards = 0;
    const counted = (): tf.Scalar[] => {
      forwards++;
      return model.losses();
    };
    const a = new RecordingOptimizer();
    const b = new RecordingOptimizer();
    new MultiTaskOptimizer({ inner: a, variables: model.variables }).step(counted);
    expect(forwards).toBe(1);
    new MultiTaskOptimizer({ inner: b, variables: model.variables, forward: 'per-task' }).step(counted);
    expect(forwards).toBe(3);
    expect(recorded(a)).toEqual(recorded(b));
    model.dispose();
  });

  test('taskJacobian: one forward, rows equal the independent per-task gradients (zeros where unreached)', () => {
    const model = createTwoTaskModel('jacobian', 8);
    let forwards = 0;
    const J = taskJacobian(() => (forwards++, model.losses()), model.variables);
    expect(forwards).toBe(1);
    expect(J.shape).toEqual([2, 3 * 5 + 5 + 5 + 5]);
    const rows = referenceRows(model);
    const values = J.dataSync();
    expect(Array.from(values.subarray(0, 30))).toEqual(Array.from(rows[0] as Float32Array));
    expect(Array.from(values.subarray(30))).toEqual(Array.from(rows[1] as Float32Array));
    J.dispose();
    model.dispose();
  });

  test("combine: 'backward' (one extra backward of Σ f_i L_i) matches the stored-gradient combination", () => {
    const model = createTwoTaskModel('backward', 9);
    const a = new RecordingOptimizer();
    const b = new RecordingOptimizer();
    const ra = new MultiTaskOptimizer({ inner: a, variables: model.variables }).step(model.losses, { weights: [1, 4] });
    const rb = new MultiTaskOptimizer({ inner: b, variables: model.variables, combine: 'backward' }).step(model.losses, { weights: [1, 4] });
    expect(Array.from(rb.weights as Float64Array)).toEqual(Array.from(ra.weights as Float64Array));
    expectClose(recorded(b), recorded(a), 1e-5);
    model.dispose();
  });

  test('scale equivariance on the float32 path: losses × s give s × the update and the same f (came-grad.md §6)', () => {
    const model = createTwoTaskModel('equivariance', 29);
    const base = new RecordingOptimizer();
    const r0 = new MultiTaskOptimizer({ inner: base, variables: model.variables }).step(model.losses, { weights: [1, 4] });
    for (const s of [1e-3, 1e3, -1, -1e3, 2 ** -30]) {
      const inner = new RecordingOptimizer();
      const r = new MultiTaskOptimizer({ inner, variables: model.variables })
        .step(() => model.losses().map((l) => tf.mul(l, tf.scalar(s)) as tf.Scalar), { weights: [1, 4] });
      expectClose(r.weights as Float64Array, r0.weights as Float64Array, 1e-5);
      expectClose(recorded(inner), Array.from(recorded(base), (x) => s * x), 1e-5);
    }
    model.dispose();
  });

  test('SGD applies θ ← θ − lr·g_final, and learning-rate changes reach the inner optimizer', () => {
    const model = createTwoTaskModel('sgd', 11);
    const probe = new RecordingOptimizer();
    const g = (() => {
      new MultiTaskOptimizer({ inner: probe, variables: model.variables }).step(model.losses);
      return recorded(probe);
    })();
    const opt = new MultiTaskOptimizer({ inner: tf.train.sgd(0.5), variables: model.variables });
    opt.learningRate = 0.3;
    expect(opt.learningRate).toBe(0.3);
    opt.setLearningRate(0.125);
    expect(opt.learningRate).toBe(0.125);
    const before = model.snapshot();
    opt.step(model.losses);
    const after = model.snapshot();
    const step = Float64Array.from(before, (x, i) => (x - (after[i] as number)) / 0.125);
    expectClose(step, g, 2e-4);
    opt.dispose();
    model.dispose();
  });

  test('no tensor leaks over 50 Adam steps', () => {
    const model = createTwoTaskModel('leak', 13);
    const configs = [{}, { forward: 'per-task' as const }, { combine: 'backward' as const }, { clip: { norm: 0.01 } }];
    for (const [c, config] of configs.entries()) {
      const steps = c === 0 ? 50 : 10;
      const opt = new MultiTaskOptimizer({ inner: tf.train.adam(0.01), variables: model.variables, ...config });
      opt.step(model.losses, { weights: [1, 4] }); // Adam allocates its moments on the first step.
      const before = tf.memory().numTensors;
      for (let s = 0; s < steps; s++) opt.step(model.losses, { weights: [1, 4] });
      expect(tf.memory().numTensors).toBe(before);
      expect(opt.stepsApplied).toBe(steps + 1);
      opt.dispose();
    }
    model.dispose();
  });

  test('same seed → bitwise-identical trajectories', () => {
    const run = (prefix: string): Float32Array => {
      const model = createTwoTaskModel(prefix, 17);
      const opt = new MultiTaskOptimizer({ inner: tf.train.adam(0.05), variables: model.variables });
      for (let s = 0; s < 10; s++) opt.step(model.losses, { weights: [1, 4] });
      const out = model.snapshot();
      opt.dispose();
      model.dispose();
      return out;
    };
    const a = run('seed-a');
    expect(run('seed-b')).toEqual(a);
  });

  test('a NaN loss or a NaN gradient skips the step, counts it, and leaves every variable untouched', () => {
    const model = createTwoTaskModel('nan', 19);
    const opt = new MultiTaskOptimizer({ inner: tf.train.adam(0.05), variables: model.variables });
    opt.step(model.losses);
    const before = model.snapshot();
    const nanLoss = opt.step(() => {
      const [a, b] = model.losses() as [tf.Scalar, tf.Scalar];
      return [a, tf.mul(b, tf.scalar(Number.NaN)) as tf.Scalar];
    });
    expect(nanLoss.applied).toBe(false);
    expect(nanLoss.skipped).toBe('non-finite-loss');
    expect(Number.isNaN(nanLoss.losses[1])).toBe(true);
    // √(Σ 0²) is 0 but its gradient is 0·∞ = NaN: a finite loss with a non-finite gradient.
    const zero = tf.variable(tf.zeros([2]), true, 'nan/zero');
    const opt2 = new MultiTaskOptimizer({ inner: tf.train.adam(0.05), variables: [...model.variables, zero] });
    const nanGrad = opt2.step(() => {
      const [a, b] = model.losses() as [tf.Scalar, tf.Scalar];
      return [a, tf.add(b, tf.sqrt(tf.sum(tf.square(zero)))) as tf.Scalar];
    });
    expect(nanGrad.skipped).toBe('non-finite-gradient');
    expect(model.snapshot()).toEqual(before);
    expect(opt.stepsSkipped).toBe(1);
    expect(opt2.stepsSkipped).toBe(1);
    expect(opt.stepsApplied).toBe(1);
    expect(opt2.stepsApplied).toBe(0);
    tf.dispose(zero);
    opt.dispose();
    opt2.dispose();
    model.dispose();
  });

  // On cpu (a host-memory backend) M is summed from float32 entries squared in float64, which
  // cannot overflow, so no prescale is applied; device-gram.test.ts covers the device path's prescale.
  test('gradients far outside float32 squaring range give the same M and f (no prescale needed in float64)', () => {
    const model = createTwoTaskModel('prescale', 23);
    const huge = 2 ** 70;
    const a = new MultiTaskOptimizer({ inner: new RecordingOptimizer(), variables: model.variables });
    const b = new MultiTaskOptimizer({ inner: new RecordingOptimizer(), variables: model.variables });
    const ra = a.step(model.losses, { weights: [1, 4] });
    const rb = b.step(() => model.losses().map((l) => tf.mul(l, tf.scalar(huge)) as tf.Scalar), { weights: [1, 4] });
    expect(ra.prescale).toBe(1);
    expect(rb.prescale).toBe(1);
    expect(rb.applied).toBe(true);
    const M = ra.gram as Float64Array;
    const Mb = Array.from(rb.gram as Float64Array, (x) => x / huge / huge);
    expect(Mb).toEqual(Array.from(M));
    expect(Array.from(rb.weights as Float64Array)).toEqual(Array.from(ra.weights as Float64Array));
    model.dispose();
  });
});

describe('clipping after combination', () => {
  test("{ value } clamps every entry; { norm } rescales to the threshold; both report the pre-clip norm", () => {
    const model = createTwoTaskModel('clip', 67);
    const free = new RecordingOptimizer();
    const base = new MultiTaskOptimizer({ inner: free, variables: model.variables }).step(model.losses);
    const raw = (free.calls[0] ?? []).flatMap((c) => Array.from(c.values ?? []));
    const norm = Math.hypot(...raw);
    expect(base.gradNorm).toBeCloseTo(norm, 5);
    const bound = 0.5 * Math.max(...raw.map(Math.abs));

    const byValue = new RecordingOptimizer();
    new MultiTaskOptimizer({ inner: byValue, variables: model.variables, clip: { value: bound } }).step(model.losses);
    const clipped = (byValue.calls[0] ?? []).flatMap((c) => Array.from(c.values ?? []));
    expect(clipped).toEqual(raw.map((x) => Math.fround(Math.min(bound, Math.max(-bound, x)))));

    const byNorm = new RecordingOptimizer();
    const res = new MultiTaskOptimizer({ inner: byNorm, variables: model.variables, clip: { norm: norm / 4 } }).step(model.losses);
    const scaled = (byNorm.calls[0] ?? []).flatMap((c) => Array.from(c.values ?? []));
    expect(res.clipScale).toBeCloseTo(0.25, 6);
    expect(Math.hypot(...scaled)).toBeCloseTo(norm / 4, 5);
    scaled.forEach((x, i) => expect(x).toBeCloseTo((raw[i] as number) / 4, 6));
    // Diagnostics are computed before clipping: the same as the unclipped step's.
    expect(res.diagnostics?.finalNorm).toBe(base.diagnostics?.finalNorm);

    const under = new MultiTaskOptimizer({ inner: new RecordingOptimizer(), variables: model.variables, clip: { norm: norm * 2 } });
    expect(under.step(model.losses).clipScale).toBe(1);
    model.dispose();
  });
});

describe('validation', () => {
  const inner = new RecordingOptimizer();
  test.each([
    [{ inner, paramScope: 'heads' }, 'paramScope'],
    [{ inner, paramScope: 'shared' }, 'sharedVariables'],
    [{ inner, sharedVariables: ['a'] }, 'sharedVariables'],
    [{ inner, clip: { value: -1 } }, 'clip'],
    [{ inner, clip: { value: 1, norm: 1 } }, 'clip'],
    [{ inner, forward: 'twice' }, 'forward'],
    [{ inner, combine: 'backward', forward: 'per-task' }, 'combine'],
    [{ inner, lr: 0.1 }, 'lr'],
    [{ inner: {} }, 'inner'],
    [{ inner, method: 42 }, 'method'],
  ])('%o is rejected naming `%s`', (options, option) => {
    const attempt = (): unknown => new MultiTaskOptimizer(options as never);
    expect(attempt).toThrow(InvalidOptionError);
    expect(attempt).toThrow(`\`${option}\` should be`);
  });

  test('an unknown method id is a typed error listing the known ids', () => {
    expect(() => new MultiTaskOptimizer({ inner, method: 'no-such-method' })).toThrow(/came-grad/);
  });

  test('bad forward outputs and ω of the wrong length are shape errors naming the culprit', () => {
    const model = createTwoTaskModel('validate', 71);
    const opt = new MultiTaskOptimizer({ inner: new RecordingOptimizer(), variables: model.variables });
    expect(() => opt.step(() => [])).toThrow(ShapeError);
    expect(() => opt.step(() => [tf.ones([2]) as unknown as tf.Scalar])).toThrow('`lossesFn()[0]` should be a scalar tensor (rank 0)');
    try {
      opt.step(model.losses, { weights: [1, 2, 3] });
      expect.unreachable();
    } catch (e) {
      expect(CameError.isInstance(e)).toBe(true);
      expect(String(e)).toMatch(/length 2/);
    }
    expect(() => opt.setLearningRate(-1)).toThrow('`learningRate` should be');
    model.dispose();
  });
});

describe('a method whose solver fails', () => {
  test.each([
    ['parameters', undefined],
    ['parameters, combine backward', 'backward'],
    ['representation', undefined],
  ] as const)('%s: the step is skipped as solver-failed and counted, the weights stay, the next step trains', (mode, combine) => {
    const model = createTwoTaskModel(`solver-${mode.replace(/\W/g, '')}`, 13);
    const mgda = createWeighting('mgda');
    let calls = 0;
    // A weighting whose solver cannot certify its first M (as projectDualCone once could not).
    const flaky: Weighting = {
      id: 'flaky', taskWeights: undefined,
      weigh(gram, ctx) {
        calls++;
        if (calls === 1) throw new SolverError('flaky', 3, Number.NaN);
        return mgda.weigh(gram, ctx);
      },
      toConfig: () => ({ id: 'flaky', options: {} }),
      toString: () => 'flaky',
    };
    const opt = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), method: flaky, variables: model.variables, ...(combine === undefined ? {} : { combine }) });
    const before = model.snapshot();
    const losses = mode === 'representation' ? { encode: model.encode, heads: model.headLosses } : model.losses;
    const first = opt.step(losses);
    expect(first.applied).toBe(false);
    expect(first.skipped).toBe('solver-failed');
    expect(model.snapshot()).toEqual(before);
    expect(opt.stepsSkipped).toBe(1);
    const second = opt.step(losses);
    expect(second.applied).toBe(true);
    expect(model.snapshot()).not.toEqual(before);
    opt.dispose();
    model.dispose();
  });
});

describe('method forms and the README', () => {
  test('an id, a { id, options } config, a Weighting and an Aggregator give the same step', () => {
    const model = createTwoTaskModel('forms', 73);
    const forms = ['cagrad', { id: 'cagrad', options: {} }, createWeighting('cagrad'), createAggregator('cagrad')] as const;
    const out = forms.map((method) => {
      const inner = new RecordingOptimizer();
      const res = new MultiTaskOptimizer({ inner, method, variables: model.variables }).step(model.losses);
      expect(res.info).toHaveProperty('diagnostics');
      return recorded(inner);
    });
    for (const o of out) expect(o).toEqual(out[0]);
    model.dispose();
  });

  test("the README's tfjs example runs as written", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## TensorFlow.js binding'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(code.split('\n').length).toBeLessThanOrEqual(16);
    const body = code.split('\n').filter((line) => !line.startsWith('import ')).join('\n');
    const model = createTwoTaskModel('readme', 79);
    const logged: unknown[][] = [];
    const log = { info: (...a: unknown[]) => logged.push(a), warn: (...a: unknown[]) => logged.push(a) };
    const adapter = { trainableVariables: model.variables, losses: () => model.losses() };
    new Function('tf', 'MultiTaskOptimizer', 'model', 'batch', 'log', 'schedule', 'epoch', body)(
      tf, MultiTaskOptimizer, adapter, null, log, (e: number) => 1e-4 / (1 + e), 1,
    );
    expect(logged).toHaveLength(1);
    expect((logged[0]?.[0] as Float64Array).length).toBe(2);
    model.dispose();
  });
});
