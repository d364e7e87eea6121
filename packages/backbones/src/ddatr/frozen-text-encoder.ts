import * as tf from '@tensorflow/tfjs-core';
import { sinusoidalPositions } from '../blocks/word-embedding';
import type { ParameterStore } from '../params/parameter-store';

/**
 * The prior-report encoder that stands in for DDaTR's frozen `BertModel`: a random N(0, 1/d)
 * embedding table that is never trained (created non-trainable, listed in `frozenParameters`),
 * each token's row plus the masked average of its report (the "averaged embedding bag" of spec §5)
 * plus a sinusoidal position. The output carries no gradient.
 */
export class FrozenTextEncoder {
  readonly table: tf.Variable;

  /** Creates `<prefix>.table` `[vocabSize, d]`, non-trainable. */
  constructor(store: ParameterStore, prefix: string, vocabSize: number, readonly d: number) {
    this.table = store.add(`${prefix}.table`, [vocabSize, d], { kind: 'normal', std: 1 / Math.sqrt(d) }, false);
  }

  /** ids `[B, T]` int32 and mask `[B, T]` → tokens `[B, T, d]`. */
  apply(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D {
    const [b, t] = ids.shape;
    const rows = tf.reshape(tf.gather(this.table, tf.reshape(ids, [-1])), [b, t, this.d]);
    const m = tf.reshape(mask, [b, t, 1]);
    const bag = tf.div(tf.sum(tf.mul(rows, m), 1, true), tf.maximum(tf.sum(m, 1, true), 1));
    return tf.add(tf.add(rows, bag), sinusoidalPositions(t, this.d)) as tf.Tensor3D;
  }
}
