import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterStore } from '../params/parameter-store';
import { initialValues } from './initializers';
import { createNormal, createUniform, deriveSeed } from './seed';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('seeds', () => {
  it('derives distinct, stable seeds from (base, key)', () => {
    expect(deriveSeed(1, 'a')).toBe(deriveSeed(1, 'a'));
    const seeds = new Set(['a', 'b', 'encoder.layers.0', 'encoder.layers.1'].flatMap((k) => [deriveSeed(1, k), deriveSeed(2, k)]));
    expect(seeds.size).toBe(8);
  });

  it('draws uniform [0, 1) and standard-normal numbers with the right moments', () => {
    const u = createUniform(42);
    const n = createNormal(42);
    const us = Array.from({ length: 20000 }, u);
    const ns = Array.from({ length: 20000 }, n);
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...us)).toBeLessThan(1);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(us)).toBeCloseTo(0.5, 2);
    expect(mean(ns)).toBeCloseTo(0, 1);
    expect(mean(ns.map((x) => x * x))).toBeCloseTo(1, 1);
  });
});

describe('initialisers', () => {
  it('bounds Xavier uniform by √(6 / (fanIn + fanOut)) and fills every kind deterministically', () => {
    const w = initialValues({ kind: 'xavierUniform' }, [30, 20], 1);
    const a = Math.sqrt(6 / 50);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * a);
    expect(initialValues({ kind: 'xavierUniform' }, [30, 20], 1)).toEqual(w);
    expect(Array.from(initialValues({ kind: 'identityRows' }, [2, 3], 0))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(initialValues({ kind: 'constant', value: 0.1 }, [2], 0))).toEqual([Math.fround(0.1), Math.fround(0.1)]);
    const conv = initialValues({ kind: 'kaimingNormalFanOut' }, [3, 3, 8, 16], 2);
    const std = Math.sqrt(conv.reduce((s, x) => s + x * x, 0) / conv.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / (16 * 9)), 1);
  });

  it('keys each variable by its name, so creation order does not change values', () => {
    const a = new ParameterStore(9);
    const b = new ParameterStore(9);
    const a1 = a.add('x', [4], { kind: 'normal', std: 1 });
    a.add('y', [4], { kind: 'normal', std: 1 });
    b.add('y', [4], { kind: 'normal', std: 1 });
    const b1 = b.add('x', [4], { kind: 'normal', std: 1 });
    expect(a1.dataSync()).toEqual(b1.dataSync());
    expect(() => a.add('x', [1], { kind: 'zeros' })).toThrow(/`parameter name` should be unique within the adapter/);
    expect(a.select(['x']).length).toBe(1);
    a.dispose();
    b.dispose();
  });
});
