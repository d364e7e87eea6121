import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import type { ParameterStore } from '../params/parameter-store';

/**
 * LAVT's residual gate as DDaTR uses it: `tanh(W₂ relu(W₁ x))` per token and channel (no biases),
 * multiplied by `has_progress`, so a study without a prior adds exactly nothing and sends no
 * gradient into the prior stream.
 */
export class TanhGate {
  readonly #w1: Linear;
  readonly #w2: Linear;

  /** Creates `<prefix>.w1` and `<prefix>.w2` (`c → c`). */
  constructor(store: ParameterStore, prefix: string, channels: number) {
    this.#w1 = new Linear(store, `${prefix}.w1`, channels, channels, { biasInit: null });
    this.#w2 = new Linear(store, `${prefix}.w2`, channels, channels, { biasInit: null });
  }

  /**
   * `residual + gate(update) ⊙ update · hasProgress`.
   * @param residual `[N, h, w, c]`
   * @param update `[N, h, w, c]`
   * @param hasProgress `[N]` in {0, 1}
   */
  apply(residual: tf.Tensor4D, update: tf.Tensor4D, hasProgress: tf.Tensor1D): tf.Tensor4D {
    const gate = tf.tanh(this.#w2.apply(tf.relu(this.#w1.apply(update))));
    const on = tf.reshape(hasProgress, [-1, 1, 1, 1]);
    return tf.add(residual, tf.mul(tf.mul(gate, update), on));
  }
}
