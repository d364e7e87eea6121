import * as tf from '@tensorflow/tfjs-core';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';

/** Sinusoidal positional encoding `[T, d]` (Vaswani et al.): sin on even, cos on odd channels. */
export function sinusoidalPositions(t: number, d: number): tf.Tensor2D {
  const values = new Float32Array(t * d);
  for (let pos = 0; pos < t; pos++) {
    for (let i = 0; i < d; i += 2) {
      const angle = pos * Math.exp((-i * Math.log(10000)) / d);
      values[pos * d + i] = Math.sin(angle);
      if (i + 1 < d) values[pos * d + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(values, [t, d]);
}

/**
 * Learned word embeddings × √d plus the sinusoidal positional encoding, then dropout (the
 * Annotated Transformer's `Embeddings` + `PositionalEncoding`, R2Gen's `tgt_embed`).
 */
export class WordEmbedding {
  readonly table: tf.Variable;

  /** Creates `<prefix>.table` of shape `[vocabSize, d]`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly vocabSize: number, readonly d: number, readonly dropoutRate: number) {
    this.table = store.add(`${prefix}.table`, [vocabSize, d], { kind: 'xavierUniform' });
  }

  /** Embeds ids `[B, T]` (int32) into `[B, T, d]`. */
  apply(ids: tf.Tensor2D, scope: ForwardScope): tf.Tensor3D {
    const [b, t] = ids.shape;
    const rows = tf.gather(this.table, tf.reshape(ids, [-1]));
    const scaled = tf.reshape(tf.mul(rows, Math.sqrt(this.d)), [b, t, this.d]);
    const withPos = tf.add(scaled, sinusoidalPositions(t, this.d)) as tf.Tensor3D;
    return dropout(withPos, this.dropoutRate, `${this.prefix}.dropout`, scope);
  }
}
