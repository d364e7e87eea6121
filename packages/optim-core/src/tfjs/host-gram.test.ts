import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { combineBlocks } from './combine';
import { deviceGram } from './device-gram';
import { backendIsHost, hostCombine, hostGram, hostMeasure, readBlocks } from './host-gram';
import { lcgValues } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const SHAPES = [[7, 5], [5], [3, 4, 2], [9000]];

/** K tasks' gradients over SHAPES; task 2 does not reach block 1, and nobody reaches nothing. */
function makeBlocks(K: number, seed: number): (tf.Tensor | undefined)[][] {
  return SHAPES.map((shape, v) => Array.from({ length: K }, (_, i) =>
    v === 1 && i === 2 ? undefined : tf.tensor(lcgValues(seed + 31 * v + i, shape.reduce((a, b) => a * b, 1), 1 + i), shape)));
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, n = 0;
  for (let i = 0; i < b.length; i++) {
    d += ((a[i] as number) - (b[i] as number)) ** 2;
    n += (b[i] as number) ** 2;
  }
  return Math.sqrt(d / n);
}

describe('host-memory Gram and combination', () => {
  test('cpu keeps tensors in host memory', () => {
    expect(backendIsHost()).toBe(true);
  });

  test.each([1, 3])('hostGram equals deviceGram to 1e-6 relative (K = %i)', (K) => {
    const blocks = makeBlocks(K, 5 + K);
    const host = hostGram(readBlocks(blocks), K);
    const device = deviceGram(blocks, K);
    expect(relErr(host.data as Float64Array, device.data as Float64Array)).toBeLessThan(1e-6);
    expect(host.maxAbs).toBeCloseTo(device.maxAbs, 6);
    expect(host.prescale).toBe(1);
    blocks.flat().forEach((t) => t?.dispose());
  });

  test('a NaN or infinite entry gives data null', () => {
    const blocks = makeBlocks(2, 9);
    const values = readBlocks(blocks).map((block) => block.map((g) => (g === undefined ? undefined : Float32Array.from(g))));
    (values[3]?.[1] as Float32Array)[17] = Number.NaN;
    expect(hostGram(values, 2).data).toBeNull();
    (values[3]?.[1] as Float32Array)[17] = Number.POSITIVE_INFINITY;
    expect(hostGram(values, 2).data).toBeNull();
    blocks.flat().forEach((t) => t?.dispose());
  });

  test.each([1, 2, 3])('hostCombine equals combineBlocks to 1e-6 relative, with the norm of the result (K = %i)', (K) => {
    const blocks = makeBlocks(K, 40 + K);
    const c = Float64Array.from({ length: K }, (_, i) => 0.3 - 0.7 * i);
    const before = tf.memory().numTensors;
    const host = hostCombine(readBlocks(blocks), SHAPES, () => c);
    const device = combineBlocks(blocks, c);
    let sumSq = 0;
    host.grads.forEach((g, v) => {
      const d = device[v] as tf.Tensor;
      expect(g?.shape).toEqual(d.shape);
      const dv = d.dataSync();
      expect(relErr((g as tf.Tensor).dataSync(), dv)).toBeLessThan(1e-6);
      for (const x of dv) sumSq += x * x;
    });
    expect(host.finite).toBe(true);
    expect(Math.abs(host.norm - Math.sqrt(sumSq)) / Math.sqrt(sumSq)).toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before + 2 * SHAPES.length);
    tf.dispose([...host.grads, ...device].filter((t): t is tf.Tensor => t !== undefined));
    blocks.flat().forEach((t) => t?.dispose());
  });

  test('a block no task reaches stays undefined; an overflowing sum is reported non-finite', () => {
    const big = tf.tensor([3e38, 1]);
    const host = hostCombine([[undefined, undefined], [big as tf.Tensor, big as tf.Tensor]].map((b) => b.map((g) => g?.dataSync() as Float32Array | undefined)), [[1], [2]], () => Float64Array.from([1, 1]));
    expect(host.grads[0]).toBeUndefined();
    expect(host.finite).toBe(false);
    tf.dispose([big, ...host.grads.filter((t): t is tf.Tensor => t !== undefined)]);
  });

  test('hostMeasure gives the float64 norm and flags a non-finite entry', () => {
    const a = tf.tensor([3, 4]);
    const b = tf.tensor([[12]]);
    const c = tf.tensor([1, Number.NaN]);
    expect(hostMeasure([a, undefined, b])).toEqual({ finite: true, norm: 13 });
    expect(hostMeasure([a, c]).finite).toBe(false);
    tf.dispose([a, b, c]);
  });
});
