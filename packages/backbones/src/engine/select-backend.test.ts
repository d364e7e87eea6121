import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';
import type { BackendLoader } from './select-backend.js';

const missing =
  (name: string): BackendLoader =>
  () =>
    Promise.reject(new Error(`Cannot find package '${name}' imported from engine\n    at stack line`));

/** A loader that registers a 'tensorflow' backend whose initialisation throws, like a broken libtensorflow. */
const brokenNative: BackendLoader = () => {
  tf.registerBackend('tensorflow', () => {
    throw new Error('libtensorflow.so.2: cannot open shared object file');
  });
  return Promise.resolve();
};

afterEach(() => {
  if (tf.engine().registryFactory['tensorflow'] !== undefined) tf.removeBackend('tensorflow');
});

describe('selectBackend', () => {
  it('auto falls back past missing native packages to wasm with one notice line each', async () => {
    const notices: string[] = [];
    const selection = await selectBackend('auto', {
      loaders: { 'tensorflow-gpu': missing('@tensorflow/tfjs-node-gpu'), tensorflow: missing('@tensorflow/tfjs-node') },
      onNotice: (line) => notices.push(line),
    });
    expect(selection.candidate).toBe('wasm');
    expect(selection.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.packageName).toBe('@tensorflow/tfjs-backend-wasm');
    expect(selection.reason).toBe('auto: @tensorflow/tfjs-backend-wasm is the first candidate that loaded (2 skipped)');
    expect(notices).toEqual([
      "backend tensorflow-gpu: @tensorflow/tfjs-node-gpu unavailable (Cannot find package '@tensorflow/tfjs-node-gpu' imported from engine); trying the next one",
      "backend tensorflow: @tensorflow/tfjs-node unavailable (Cannot find package '@tensorflow/tfjs-node' imported from engine); trying the next one",
    ]);
    expect(selection.skipped).toEqual(notices);
    expect(selection.kernelPack?.added).toContain('Conv2DBackpropFilter');
  });

  it('auto skips a native package that loads but whose backend fails to initialise', async () => {
    const selection = await selectBackend('auto', {
      loaders: { 'tensorflow-gpu': brokenNative, tensorflow: missing('@tensorflow/tfjs-node') },
    });
    expect(selection.candidate).toBe('wasm');
    expect(selection.skipped[0]).toBe(
      "backend tensorflow-gpu: @tensorflow/tfjs-node-gpu unavailable (the 'tensorflow' backend failed to initialise); trying the next one",
    );
  });

  it('auto uses a native backend when its package loads', async () => {
    const fakeNative: BackendLoader = () => {
      tf.registerBackend('tensorflow', () => tf.findBackend('cpu')!);
      return Promise.resolve();
    };
    const selection = await selectBackend('auto', {
      loaders: { 'tensorflow-gpu': missing('@tensorflow/tfjs-node-gpu'), tensorflow: fakeNative },
    });
    expect(selection.candidate).toBe('tensorflow');
    expect(selection.backend).toBe('tensorflow');
    expect(selection.kernelPack).toBeUndefined();
    expect(selection.skipped).toHaveLength(1);
  });

  it('auto reaches cpu when wasm fails too', async () => {
    const selection = await selectBackend('auto', {
      loaders: {
        'tensorflow-gpu': missing('a'),
        tensorflow: missing('b'),
        wasm: () => Promise.reject(new Error('no wasm')),
      },
    });
    expect(selection.candidate).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(selection.skipped).toHaveLength(3);
  });

  it('a named backend that cannot load throws, naming its package', async () => {
    await expect(selectBackend('tensorflow', { loaders: { tensorflow: missing('@tensorflow/tfjs-node') } })).rejects.toThrow(
      "`backend` 'tensorflow' should load from @tensorflow/tfjs-node. It did not: Cannot find package '@tensorflow/tfjs-node' imported from engine.",
    );
  });

  it('a loader that registers nothing is reported as such', async () => {
    await expect(selectBackend('tensorflow-gpu', { loaders: { 'tensorflow-gpu': () => Promise.resolve() } })).rejects.toThrow(
      "It did not: loading it registered no 'tensorflow' backend.",
    );
  });

  it('selects cpu and wasm by name, without the kernel pack when asked', async () => {
    const cpu = await selectBackend('cpu');
    expect(cpu).toMatchObject({ candidate: 'cpu', backend: 'cpu', reason: 'requested explicitly (@tensorflow/tfjs-backend-cpu)' });
    const wasm = await selectBackend('wasm', { kernelPack: false });
    expect(wasm.backend).toBe('wasm');
    expect(wasm.kernelPack).toBeUndefined();
  });

  it('detects the real environment: here no native binding is installed, so auto lands on wasm', async () => {
    const selection = await selectBackend('auto');
    expect(selection.candidate).toBe('wasm');
    expect(selection.skipped.map((line) => line.split(':')[0])).toEqual(['backend tensorflow-gpu', 'backend tensorflow']);
  });

  it('rejects an unknown request', async () => {
    await expect(selectBackend('webgl' as 'cpu')).rejects.toThrow(
      "`backend` should be one of auto, tensorflow-gpu, tensorflow, wasm, cpu. Found 'webgl'.",
    );
  });
});
