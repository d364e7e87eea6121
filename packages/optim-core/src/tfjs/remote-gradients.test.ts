import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, test } from 'vitest';
import { InvalidOptionError, ShapeError } from '../errors';
import { MultiTaskOptimizer } from './multi-task-optimizer';
import type { RemoteTaskGradients } from './remote-gradients';
import { createTwoTaskModel } from './two-task-model.fixture';
import type { TwoTaskModel } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/**
 * A second replica of the model plays the remote side: before each step it takes the local
 * weights, and `collect` differentiates the remote tasks on it, as a worker thread would.
 */
function replicaOf(local: TwoTaskModel, replica: TwoTaskModel, tasks: readonly number[]): RemoteTaskGradients & { collected: number } {
  const state = { collected: 0 };
  return {
    tasks,
    get collected() {
      return state.collected;
    },
    collect(xs) {
      state.collected++;
      local.variables.forEach((v, i) => (replica.variables[i] as tf.Variable).assign(v));
      return tasks.map((task) => {
        const { value, grads } = tf.variableGrads(() => replica.losses()[task] as tf.Scalar, [...replica.variables]);
        value.dispose();
        return xs.map((x) => grads[replica.variables[local.variables.indexOf(x)]?.name ?? '']);
      });
    },
  };
}

function train(method: string, steps: number, remoteTasks: readonly number[] | null): Float32Array {
  const local = createTwoTaskModel(`local-${method}-${remoteTasks?.join('') ?? 'none'}`, 3);
  const replica = createTwoTaskModel(`replica-${method}-${remoteTasks?.join('') ?? 'none'}`, 3);
  const optimizer = new MultiTaskOptimizer({ inner: tf.train.adam(0.05), method, variables: local.variables });
  const remote = remoteTasks === null ? undefined : replicaOf(local, replica, remoteTasks);
  let afterFirst = 0;
  for (let s = 0; s < steps; s++) {
    const r = optimizer.step(local.losses, remote === undefined ? {} : { remote });
    expect(r.applied).toBe(true);
    if (s === 0) afterFirst = tf.memory().numTensors;
  }
  expect(tf.memory().numTensors).toBe(afterFirst);
  if (remote !== undefined) expect(remote.collected).toBe(steps);
  const out = local.snapshot();
  optimizer.dispose();
  local.dispose();
  replica.dispose();
  return out;
}

describe('remote task gradients (task parallelism)', () => {
  test.each(['came-grad', 'cagrad', 'pcgrad'])('%s: a task differentiated on a replica gives the weights of the one-thread step, bit for bit', (method) => {
    const alone = train(method, 4, null);
    expect(train(method, 4, [1])).toEqual(alone);
    expect(train(method, 4, [0, 1])).toEqual(alone);
  });

  test('the step reads the remote rows instead of differentiating those tasks itself', () => {
    const local = createTwoTaskModel('used-local', 4);
    const optimizer = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), method: 'came-grad', variables: local.variables });
    // A remote side that reports a zero gradient for task 1: the step then sees one task's direction only.
    const remote: RemoteTaskGradients = { tasks: [1], collect: (xs) => [xs.map((x) => tf.zerosLike(x))] };
    const r = optimizer.step(local.losses, { remote });
    expect(r.gram?.[3]).toBe(0);
    expect(r.gram?.[0]).toBeGreaterThan(0);
    optimizer.dispose();
    local.dispose();
  });

  test('an inactive remote task (ω = 0) is drained and dropped', () => {
    const local = createTwoTaskModel('inactive-local', 5);
    const replica = createTwoTaskModel('inactive-replica', 5);
    const optimizer = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), method: 'came-grad', variables: local.variables });
    const remote = replicaOf(local, replica, [1]);
    const before = tf.memory().numTensors;
    const r = optimizer.step(local.losses, { weights: [1, 0], remote });
    expect(r.droppedTasks).toEqual([1]);
    expect(remote.collected).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    local.dispose();
    replica.dispose();
  });

  test('a step that cannot take remote gradients names the option', () => {
    const local = createTwoTaskModel('reject-local', 7);
    const replica = createTwoTaskModel('reject-replica', 7);
    const remote = replicaOf(local, replica, [1]);
    const linear = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), method: 'linear', variables: local.variables });
    expect(() => linear.step(local.losses, { remote })).toThrow(InvalidOptionError);
    expect(() => linear.step(local.losses, { remote })).toThrow(/remote.*Gram-free method linear/s);
    const perTask = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), method: 'came-grad', variables: local.variables, forward: 'per-task' });
    expect(() => perTask.step(local.losses, { remote })).toThrow(/forward 'per-task'/);
    const came = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), method: 'came-grad', variables: local.variables });
    expect(() => came.step({ encode: local.encode, heads: local.headLosses }, { remote })).toThrow(/a representation step/);
    [linear, perTask, came].forEach((o) => o.dispose());
    local.dispose();
    replica.dispose();
  });

  test('a remote gradient of the wrong shape names the task and the variable, and leaks nothing', () => {
    const local = createTwoTaskModel('shape-local', 9);
    const optimizer = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), method: 'came-grad', variables: local.variables });
    const before = tf.memory().numTensors;
    const remote: RemoteTaskGradients = { tasks: [1], collect: (xs) => [xs.map(() => tf.zeros([2]))] };
    expect(() => optimizer.step(local.losses, { remote })).toThrow(ShapeError);
    expect(() => optimizer.step(local.losses, { remote })).toThrow(/task 1 .*shape-local\/W/);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    local.dispose();
  });
});
