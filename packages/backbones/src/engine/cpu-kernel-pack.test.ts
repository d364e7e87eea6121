import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from './backend-compare.js';
import { CPU_REPLACED_KERNELS, installCpuKernelPack } from './cpu-kernel-pack.js';
import { seededValues } from './reference-model.js';
import { selectBackend } from './select-backend.js';

const t = (shape: number[], seed: number): tf.Tensor => tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed, 1), shape);

/** dL/dx and dL/dW of L = Σ conv2d(x, W)·R with the kernels registered now. */
function convGrads(xShape: number[], wShape: number[], stride: number, pad: 'same' | 'valid'): Float32Array[] {
  return tf.tidy(() => {
    const x = t(xShape, 1);
    const w = t(wShape, 2);
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
    const r = t(y.shape, 3);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r)))([x, w]);
    return [Float32Array.from((dx as tf.Tensor).dataSync()), Float32Array.from((dw as tf.Tensor).dataSync())];
  });
}

const CASES: [string, number[], number[], number, 'same' | 'valid'][] = [
  ['3×3 stride 1 same', [2, 7, 6, 3], [3, 3, 3, 4], 1, 'same'],
  ['3×3 stride 2 same (odd size)', [2, 9, 9, 2], [3, 3, 2, 5], 2, 'same'],
  ['7×7 stride 2 same (ResNet stem)', [1, 16, 16, 1], [7, 7, 1, 8], 2, 'same'],
  ['1×1 stride 2 valid (shortcut)', [3, 8, 8, 4], [1, 1, 4, 6], 2, 'valid'],
  ['2×3 stride 1 valid', [2, 5, 7, 3], [2, 3, 3, 2], 1, 'valid'],
];

describe('cpu kernel pack', () => {
  let uninstall: (() => void) | undefined;
  beforeAll(async () => {
    await selectBackend('cpu', { kernelPack: false });
  });
  afterAll(() => {
    uninstall?.();
  });

  it.each(CASES)('convolution gradients equal the stock cpu kernels to 1e-5 relative: %s', (_, xShape, wShape, stride, pad) => {
    const stock = convGrads(xShape, wShape, stride, pad);
    const pack = installCpuKernelPack();
    uninstall = pack.uninstall;
    try {
      const fast = convGrads(xShape, wShape, stride, pad);
      expect(relativeError(fast[0]!, stock[0]!)).toBeLessThan(1e-5);
      expect(relativeError(fast[1]!, stock[1]!)).toBeLessThan(1e-5);
      expect(stock[1]!.some((v) => v !== 0)).toBe(true);
    } finally {
      pack.uninstall();
    }
  });

  it('is installed by selectBackend on cpu, replaces the stock kernels once, and uninstalls cleanly', async () => {
    const stock = CPU_REPLACED_KERNELS.map((name) => tf.getKernel(name, 'cpu'));
    const selection = await selectBackend('cpu');
    expect(selection.kernelPack?.replaced).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput']);
    // The "install our node backend" banner's one-shot flag is cleared when cpu is chosen.
    expect((tf.backend() as unknown as { firstUse: boolean }).firstUse).toBe(false);
    const again = installCpuKernelPack();
    expect(CPU_REPLACED_KERNELS.map((name) => tf.getKernel(name, 'cpu'))).not.toEqual(stock);
    again.uninstall();
    expect(CPU_REPLACED_KERNELS.map((name) => tf.getKernel(name, 'cpu'))).toEqual(stock);
    const off = await selectBackend('cpu', { kernelPack: false });
    expect(off.kernelPack).toBeUndefined();
  });

  it('does not leak tensors', () => {
    const pack = installCpuKernelPack();
    convGrads([1, 6, 6, 2], [3, 3, 2, 3], 2, 'same');
    const before = tf.memory().numTensors;
    convGrads([1, 6, 6, 2], [3, 3, 2, 3], 2, 'same');
    expect(tf.memory().numTensors).toBe(before);
    pack.uninstall();
  });
});
