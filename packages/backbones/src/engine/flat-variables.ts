import * as tf from '@tensorflow/tfjs-core';

/** Writes the values of `variables`, in order, into one flat vector (shared memory between replicas). */
export function writeFlat(variables: readonly tf.Variable[], target: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    target.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
}

/** Assigns `variables`, in order, from one flat vector written by {@link writeFlat}. */
export function assignFlat(variables: readonly tf.Variable[], source: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    // tf.tensor copies out of shared memory: a tensor never aliases memory another thread writes.
    const next = tf.tensor(source.subarray(offset, offset + v.size), v.shape, 'float32');
    v.assign(next);
    next.dispose();
    offset += v.size;
  }
}
