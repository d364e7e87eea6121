import * as tf from '@tensorflow/tfjs-core';

/**
 * Test support: runs `fn` on a named backend inside a tidy scope and returns copies of its results,
 * so that the same computation can be compared across backends.
 */
export async function runOn(backend: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  await tf.ready();
  return tf.tidy(fn).map((t) => {
    const values = Float32Array.from(t.dataSync());
    t.dispose();
    return values;
  });
}

/**
 * ‖a − b‖∞ / max(‖b‖∞, floor): the relative error measure of the engine tests. `floor` keeps a
 * gradient that is zero in exact arithmetic (and float32 noise on both sides) from reading as 100%.
 */
export function relativeError(a: Float32Array, b: Float32Array, floor = 0): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  const denominator = Math.max(scale, floor);
  return denominator === 0 ? diff : diff / denominator;
}
