import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, test } from 'vitest';
import { CameError, InvalidOptionError, ShapeError } from '../errors';
import { MultiTaskOptimizer } from './multi-task-optimizer';
import { RecordingOptimizer, createTwoTaskModel } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
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
