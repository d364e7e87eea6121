import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from '../params/parameter-store';
import type { RetrievalEncoder } from './retrieval-encoder';

/**
 * The training studies REVTAF retrieves from at inference: their retrieval embeddings (keys,
 * points of the ball) and their reports' sentence embeddings (values), in a FIFO of `size` rows
 * filled by `commitState` once per optimizer step. REVTAF searches every training vector with the
 * final encoder; the queue holds the embeddings as they were when each study was last seen
 * (MoCo-style staleness), because training images are not available outside the batches. The
 * rows live in non-trainable variables, so they are checkpointed with the weights.
 */
export class RetrievalQueue {
  readonly keys: tf.Variable;
  readonly values: tf.Variable;
  /** Rows written so far (not capped), `[1]`. */
  readonly count: tf.Variable;

  /** Creates `<prefix>.{keys,values,count}` (zeros, non-trainable). */
  constructor(store: ParameterStore, prefix: string, readonly size: number, readonly keyDim: number, readonly sentences: number, readonly valueDim: number) {
    this.keys = store.add(`${prefix}.keys`, [size, keyDim], { kind: 'zeros' }, false);
    this.values = store.add(`${prefix}.values`, [size, sentences, valueDim], { kind: 'zeros' }, false);
    this.count = store.add(`${prefix}.count`, [1], { kind: 'zeros' }, false);
  }

  /** Filled rows. */
  filled(): number {
    return Math.min(this.size, this.count.dataSync()[0] as number);
  }

  /**
   * The values of the nearest filled row to each query `[B, keyDim]` in the encoder's geometry,
   * `[B, S, valueDim]`; zeros (no retrieval) while the queue is empty.
   */
  nearest(queries: tf.Tensor2D, encoder: RetrievalEncoder): tf.Tensor3D {
    const b = queries.shape[0];
    const n = this.filled();
    if (n === 0) return tf.zeros([b, this.sentences, this.valueDim]);
    const keys = tf.slice(this.keys, [0, 0], [n, this.keyDim]);
    const d = encoder.distance(tf.expandDims(queries, 1), tf.expandDims(keys, 0));
    return tf.gather(this.values, tf.argMin(d, 1)) as tf.Tensor3D;
  }

  /** Writes `[B, keyDim]` keys and `[B, S, valueDim]` values after the last written rows. */
  push(keys: Float32Array, values: Float32Array, batch: number): void {
    const allKeys = this.keys.dataSync().slice() as Float32Array;
    const allValues = this.values.dataSync().slice() as Float32Array;
    const start = this.count.dataSync()[0] as number;
    const perValue = this.sentences * this.valueDim;
    for (let i = 0; i < batch; i++) {
      const row = (start + i) % this.size;
      allKeys.set(keys.subarray(i * this.keyDim, (i + 1) * this.keyDim), row * this.keyDim);
      allValues.set(values.subarray(i * perValue, (i + 1) * perValue), row * perValue);
    }
    tf.tidy(() => {
      this.keys.assign(tf.tensor2d(allKeys, [this.size, this.keyDim]));
      this.values.assign(tf.tensor3d(allValues, [this.size, this.sentences, this.valueDim]));
      this.count.assign(tf.tensor1d([start + batch]));
    });
  }
}
