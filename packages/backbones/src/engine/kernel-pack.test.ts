import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError, runOn } from './backend-compare.js';
import { installWasmKernelPack, WASM_MISSING_KERNELS, WASM_REPLACED_KERNELS } from './kernel-pack.js';
import type { InstalledWasmKernelPack } from './kernel-pack.js';
import { seededValues } from './reference-model.js';
import { selectBackend } from './select-backend.js';

const TOL = 1e-5;
let pack: InstalledWasmKernelPack;

beforeAll(async () => {
  const selection = await selectBackend('wasm');
  if (selection.kernelPack === undefined) throw new Error('kernel pack should be installed on wasm');
  pack = selection.kernelPack;
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const t = (shape: number[], seed: number): tf.Tensor =>
  tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed, 1), shape);

/** The value and the gradients (w.r.t. every input) of sum(f(inputs) · R) for a fixed random R. */
function valueAndGrads(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor): () => tf.Tensor[] {
  return () => {
    const xs = shapes.map((s, i) => t(s, 100 + i));
    const y = f(...xs);
    const r = t(y.shape, 999);
    const g = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(f(...args), r)));
    return [y, ...g(xs)];
  };
}

async function expectSameOnCpu(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<void> {
  const onWasm = await runOn('wasm', valueAndGrads(shapes, f));
  const onCpu = await runOn('cpu', valueAndGrads(shapes, f));
  expect(onWasm).toHaveLength(onCpu.length);
  onCpu.forEach((ref, i) => {
    expect(relativeError(onWasm[i]!, ref), `output ${i}`).toBeLessThanOrEqual(TOL);
  });
}

describe('installWasmKernelPack', () => {
  it('adds the missing training kernels and replaces the slow stock ones', () => {
    expect(pack.added).toEqual(WASM_MISSING_KERNELS);
    expect(pack.replaced).toEqual(WASM_REPLACED_KERNELS);
    for (const name of [...WASM_MISSING_KERNELS, ...WASM_REPLACED_KERNELS]) {
      expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    }
  });

  it('uninstall restores the stock registry and a second install leaves one layer', () => {
    pack.uninstall();
    for (const name of WASM_MISSING_KERNELS) expect(tf.getKernel(name, 'wasm'), name).toBeUndefined();
    const stock = tf.getKernel('BatchMatMul', 'wasm');
    expect(stock).toBeDefined();
    const first = installWasmKernelPack();
    const second = installWasmKernelPack({ speedups: false });
    expect(second.replaced).toEqual([]);
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(stock?.kernelFunc);
    // The first install's handle must not remove what the second one registered.
    first.uninstall();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    second.uninstall();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(stock?.kernelFunc);
    pack = installWasmKernelPack();
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).not.toBe(stock?.kernelFunc);
  });
});

describe('BatchMatMul on XNNPACK slices matches cpu (values and gradients)', () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['2-D', [4, 5], [5, 3], false, false],
    ['2-D, A transposed', [5, 4], [5, 3], true, false],
    ['2-D, B transposed', [4, 5], [3, 5], false, true],
    ['2-D, both transposed', [5, 4], [3, 5], true, true],
    ['4-D attention scores', [2, 3, 4, 6], [2, 3, 5, 6], false, true],
    ['4-D attention context', [2, 3, 4, 5], [2, 3, 5, 6], false, false],
    ['batched, both transposed', [3, 5, 4], [3, 2, 5], true, true],
  ];
  for (const [name, aShape, bShape, ta, tb] of cases) {
    it(name, async () => {
      await expectSameOnCpu([aShape, bShape], (a, b) => tf.matMul(a!, b!, ta, tb));
    });
  }
});

describe('BatchMatMul with a broadcast batch matches cpu (values; tfjs has no broadcast gradient)', () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['A batch 1', [1, 4, 5], [3, 5, 2], false, false],
    ['B batch 1', [3, 4, 5], [1, 5, 2], false, false],
    ['B batch 1, A transposed', [3, 5, 4], [1, 5, 2], true, false],
    ['A batch 1, B transposed', [1, 4, 5], [3, 2, 5], false, true],
  ];
  for (const [name, aShape, bShape, ta, tb] of cases) {
    it(name, async () => {
      const f = (): tf.Tensor[] => [tf.matMul(t(aShape, 1), t(bShape, 2), ta, tb)];
      const [onWasm] = await runOn('wasm', f);
      const [onCpu] = await runOn('cpu', f);
      expect(relativeError(onWasm!, onCpu!)).toBeLessThanOrEqual(TOL);
    });
  }
});

describe('conv gradients match cpu', () => {
  const cases: [string, number[], number[], number, 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]][] = [
    ['stride 2, same', [2, 7, 6, 3], [3, 3, 3, 4], 2, 'same'],
    ['stride 1, valid', [1, 5, 5, 2], [3, 2, 2, 3], 1, 'valid'],
    ['stride 2, valid, 1 channel', [2, 8, 8, 1], [3, 3, 1, 2], 2, 'valid'],
    ['explicit padding', [1, 6, 5, 2], [2, 3, 2, 2], 1, [[0, 0], [1, 0], [2, 1], [0, 0]]],
  ];
  for (const [name, xShape, wShape, stride, pad] of cases) {
    it(`conv2d, ${name}`, async () => {
      await expectSameOnCpu([xShape, wShape], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad));
    });
  }
  it('depthwise conv2d with channel multiplier 2, stride 2', async () => {
    await expectSameOnCpu([[2, 7, 7, 3], [3, 3, 3, 2]], (x, w) =>
      tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
    );
  });
});

describe('UnsortedSegmentSum', () => {
  it('embedding gradient with repeated ids matches cpu', async () => {
    const ids = [3, 0, 3, 5, 3];
    await expectSameOnCpu([[6, 4]], (table) => tf.gather(table!, tf.tensor1d(ids, 'int32')));
  });
  it('sums rows per segment, drops out-of-range ids, int32 too', async () => {
    const [f32, i32] = await runOn('wasm', () => [
      tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([2, 0, 2], 'int32'), 3),
      tf.cast(tf.unsortedSegmentSum(tf.tensor1d([7, 8, 9, 10], 'int32'), tf.tensor1d([1, 1, 0, 1], 'int32'), 2), 'float32'),
    ]);
    expect(Array.from(f32!)).toEqual([3, 4, 0, 0, 6, 8]);
    expect(Array.from(i32!)).toEqual([9, 25]);
  });
});

describe('zero-copy Identity and Cast', () => {
  it('share memory without a copy and survive disposal of the source', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const before = tf.engine().backend.numDataIds();
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    expect(tf.engine().backend.numDataIds()).toBe(before);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3]);
    const asInt = tf.cast(y, 'int32');
    expect(tf.engine().backend.numDataIds()).toBe(before + 1);
    tf.dispose([y, z, asInt]);
    expect(tf.engine().backend.numDataIds()).toBe(before - 1);
  });
});

describe('memory safety', () => {
  it('never writes into its inputs, and a reassigned variable is not served from a stale GEMM cache', async () => {
    await tf.setBackend('wasm');
    const a = t([3, 4, 5], 1);
    const w = tf.variable(t([5, 2], 2));
    const aBefore = Float32Array.from(a.dataSync());
    const first = tf.matMul(a, tf.reshape(w, [1, 5, 2]));
    const firstValues = Float32Array.from(first.dataSync());
    w.assign(tf.mul(w, 2));
    const second = tf.matMul(a, tf.reshape(w, [1, 5, 2]));
    expect(Array.from(a.dataSync())).toEqual(Array.from(aBefore));
    expect(relativeError(second.dataSync() as Float32Array, firstValues.map((v) => 2 * v))).toBeLessThanOrEqual(TOL);
    tf.dispose([a, w, first, second]);
  });
});
