import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { gramian } from '../gram/gramian';
import { deviceGram } from './device-gram';
import { lcgValues } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/** Block sizes: one larger than a chunk and not a multiple of it, one tiny, one exactly two chunks. */
const SIZES = [10_001, 7, 8192];

function makeBlocks(K: number, scale: number, holes: (v: number, i: number) => boolean): { blocks: (tf.Tensor | undefined)[][]; rows: Float64Array[] } {
  const D = SIZES.reduce((a, b) => a + b, 0);
  const rows = Array.from({ length: K }, () => new Float64Array(D));
  let offset = 0;
  const blocks = SIZES.map((n, v) => {
    const block = Array.from({ length: K }, (_, i) => {
      if (holes(v, i)) return undefined;
      const values = lcgValues(100 * v + i + 1, n, scale);
      (rows[i] as Float64Array).set(values, offset);
      return tf.tensor(values, v === 2 ? [64, 128] : [n]);
    });
    offset += n;
    return block;
  });
  return { blocks, rows };
}

function expectGramClose(actual: Float64Array, expected: Float64Array, rtol: number): void {
  const scale = Math.max(...Array.from(expected, Math.abs));
  actual.forEach((x, t) => expect(Math.abs(x - (expected[t] as number))).toBeLessThanOrEqual(rtol * scale));
}

describe('deviceGram', () => {
  test('matches the float64 Gram of the concatenated rows, treating missing blocks as zero', () => {
    const { blocks, rows } = makeBlocks(3, 1, (v, i) => v === 1 && i === 2);
    const out = deviceGram(blocks, 3);
    expect(out.prescale).toBe(1);
    expectGramClose(out.data as Float64Array, gramian(rows).data, 1e-6);
    tf.dispose(blocks.flat().filter((t): t is tf.Tensor => t !== undefined));
  });

  test('prescales tiny and huge gradients by a power of two and returns M on the original scale', () => {
    for (const scale of [2 ** -70, 2 ** 75]) {
      const { blocks, rows } = makeBlocks(2, scale, () => false);
      const out = deviceGram(blocks, 2);
      expect(out.prescale).not.toBe(1);
      expect(Number.isInteger(Math.log2(out.prescale))).toBe(true);
      expectGramClose(out.data as Float64Array, gramian(rows).data, 1e-6);
      tf.dispose(blocks.flat().filter((t): t is tf.Tensor => t !== undefined));
    }
  });

  test('a NaN or an infinite entry gives data null; all-zero and no-gradient inputs give M = 0', () => {
    const ones = tf.ones([3]);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const g = tf.tensor([1, bad, 3]);
      expect(deviceGram([[g, ones]], 2).data).toBeNull();
      g.dispose();
    }
    const zeros = tf.zeros([4]);
    expect(Array.from(deviceGram([[zeros, zeros]], 2).data as Float64Array)).toEqual([0, 0, 0, 0]);
    tf.dispose([ones, zeros]);
    expect(Array.from(deviceGram([[undefined, undefined]], 2).data as Float64Array)).toEqual([0, 0, 0, 0]);
  });

  test('allocates nothing that outlives the call', () => {
    const { blocks } = makeBlocks(2, 1, () => false);
    const before = tf.memory().numTensors;
    deviceGram(blocks, 2);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(blocks.flat().filter((t): t is tf.Tensor => t !== undefined));
  });
});
