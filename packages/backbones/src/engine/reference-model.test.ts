import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError, runOn } from './backend-compare.js';
import { createReferenceModel, referenceBatch, TINY_REFERENCE_CONFIG } from './reference-model.js';
import { selectBackend } from './select-backend.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** Loss and every variable's gradient of the tiny reference model, in variable order. */
function lossAndGrads(): tf.Tensor[] {
  const model = createReferenceModel(TINY_REFERENCE_CONFIG);
  const batch = referenceBatch(TINY_REFERENCE_CONFIG);
  const { value, grads } = tf.variableGrads(() => model.loss(batch), [...model.variables]);
  const out = [value, ...model.variables.map((v) => grads[v.name]!)];
  model.dispose();
  return out;
}

describe('tiny reference model (conv + embedding + transformer decoder) on wasm with the kernel pack', () => {
  it('gives the loss and all gradients of the cpu backend', async () => {
    const onWasm = await runOn('wasm', lossAndGrads);
    const onCpu = await runOn('cpu', lossAndGrads);
    expect(onWasm).toHaveLength(onCpu.length);
    expect(onCpu.length).toBe(1 + 38);
    // The key biases get a gradient that is exactly zero in real arithmetic (softmax ignores a shift
    // shared by a row), so errors are taken relative to at least 1e-3, the scale of the other gradients.
    onCpu.forEach((ref, i) => {
      expect(relativeError(onWasm[i]!, ref, 1e-3), `output ${i}`).toBeLessThanOrEqual(1e-5);
    });
  });

  it('keeps tensor count and wasm data ids flat over Adam steps', async () => {
    await tf.setBackend('wasm');
    const model = createReferenceModel(TINY_REFERENCE_CONFIG);
    const batch = referenceBatch(TINY_REFERENCE_CONFIG);
    const optimizer = tf.train.adam(1e-2);
    const step = (): number => {
      const loss = optimizer.minimize(() => model.loss(batch), true, [...model.variables]);
      const value = loss!.dataSync()[0]!;
      loss!.dispose();
      return value;
    };
    const first = step();
    step();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    const heapBytes = (tf.engine().backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    let last = first;
    for (let i = 0; i < 5; i++) last = step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    expect((tf.engine().backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length).toBe(heapBytes);
    expect(last).toBeLessThan(first);
    optimizer.dispose();
    model.dispose();
    tf.dispose([batch.images, batch.tokens, batch.targets]);
  });
});

/** Losses of `steps` Adam steps of the tiny model on the active backend. */
function trajectory(steps: number): tf.Tensor[] {
  const model = createReferenceModel(TINY_REFERENCE_CONFIG, 3, 'trajectory');
  const batch = referenceBatch(TINY_REFERENCE_CONFIG, 11);
  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = optimizer.minimize(() => model.loss(batch), true, [...model.variables]);
    losses.push(loss!.dataSync()[0]!);
    loss!.dispose();
  }
  optimizer.dispose();
  model.dispose();
  return [tf.tensor1d(losses)];
}

describe('training trajectory', () => {
  it('12 Adam steps on wasm with the kernel pack follow the cpu losses', async () => {
    const [onWasm] = await runOn('wasm', () => trajectory(12));
    const [onCpu] = await runOn('cpu', () => trajectory(12));
    expect(relativeError(onWasm!, onCpu!)).toBeLessThanOrEqual(1e-4);
    expect(onCpu![11]!).toBeLessThan(0.7 * onCpu![0]!);
  });
});
