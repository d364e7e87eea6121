import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from './inner-state';

/**
 * Test fixture: a tiny two-task model (a shared tanh layer, a regression head and a
 * classification-style head), deterministic from a seed through a fixed LCG, so that the same
 * seed gives bitwise-identical initial variables on any backend.
 */
export interface TwoTaskModel {
  readonly shared: readonly tf.Variable[];
  readonly heads: readonly tf.Variable[];
  readonly variables: readonly tf.Variable[];
  /** One forward: [L_reg, L_cls], both unweighted. */
  readonly losses: () => tf.Scalar[];
  /** The same forward split at the shared features z (representation mode). */
  readonly encode: () => tf.Tensor;
  readonly headLosses: (z: tf.Tensor) => tf.Scalar[];
  /** Current values of every variable, flattened in `variables` order. */
  readonly snapshot: () => Float32Array;
  readonly dispose: () => void;
}

/** Fills `n` values in [−scale, scale) from a 32-bit LCG (Numerical Recipes constants). */
export function lcgValues(seed: number, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

/** Builds the model with variables named `${prefix}/…` (names must be unique per engine). */
export function createTwoTaskModel(prefix: string, seed = 1, options: { batch?: number; hidden?: number } = {}): TwoTaskModel {
  const B = options.batch ?? 6, IN = 3, H = options.hidden ?? 5;
  const v = (name: string, shape: number[], s: number, scale: number): tf.Variable =>
    tf.variable(tf.tensor(lcgValues(seed * 7919 + s, shape.reduce((a, b) => a * b, 1), scale), shape), true, `${prefix}/${name}`);
  const W = v('W', [IN, H], 1, 0.8);
  const b = v('b', [H], 2, 0.1);
  const wr = v('wr', [H, 1], 3, 0.7);
  const wc = v('wc', [H, 1], 4, 0.7);
  const x = tf.tensor(lcgValues(seed + 11, B * IN), [B, IN]);
  const yr = tf.tensor(lcgValues(seed + 13, B), [B, 1]);
  const yc = tf.tensor(Array.from(lcgValues(seed + 17, B), (u) => (u > 0 ? 1 : 0)), [B, 1]);
  const encode = (): tf.Tensor => tf.tanh(tf.add(tf.matMul(x, W), b));
  const headLosses = (z: tf.Tensor): tf.Scalar[] => {
    const reg = tf.mean(tf.square(tf.sub(tf.matMul(z, wr), yr))) as tf.Scalar;
    const logits = tf.matMul(z, wc);
    // Numerically stable BCE with logits: max(s, 0) − s·y + log(1 + e^{−|s|}).
    const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, yc)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return [reg, tf.mean(bce) as tf.Scalar];
  };
  const variables = [W, b, wr, wc];
  return {
    shared: [W, b],
    heads: [wr, wc],
    variables,
    losses: () => headLosses(encode()),
    encode,
    headLosses,
    snapshot: () => flatValues(variables),
    dispose: () => tf.dispose([W, b, wr, wc, x, yr, yc]),
  };
}

/** Concatenated values of `ts` in order. */
export function flatValues(ts: readonly tf.Tensor[]): Float32Array {
  const parts = ts.map((t) => t.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * An inner optimizer that records the gradients it receives (cloned values, in call order) and
 * leaves the variables alone: it lets a test read exactly what the wrapper handed over.
 */
export class RecordingOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'CameGradTestRecordingOptimizer';
  }
  readonly calls: { name: string; values: Float32Array | null }[][] = [];
  learningRate = 1;
  applyGradients(grads: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(grads) ? grads : Object.keys(grads).map((name) => ({ name, tensor: grads[name] as tf.Tensor }));
    this.calls.push(list.map((g) => ({ name: g.name, values: g.tensor ? Float32Array.from(g.tensor.dataSync()) : null })));
  }
  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
