import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { Linear } from './linear';

/** Additive mask value of the Annotated Transformer's `masked_fill(mask == 0, -1e9)`. */
export const MASKED = -1e9;

/** Splits `[B, N, h·dk]` into heads `[B, h, N, dk]`. */
export function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [b, n, d] = x.shape;
  return tf.transpose(tf.reshape(x, [b, n, heads, d / heads]), [0, 2, 1, 3]);
}

/** Joins heads `[B, h, N, dk]` back into `[B, N, h·dk]`. */
export function joinHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [b, h, n, dk] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, n, h * dk]);
}

/**
 * Multi-head scaled dot-product attention (the Annotated Transformer's `MultiHeadedAttention`):
 * four `d → d` projections, softmax over keys with an additive mask, dropout on the attention
 * probabilities.
 */
export class MultiHeadAttention {
  readonly #q: Linear;
  readonly #k: Linear;
  readonly #v: Linear;
  readonly #out: Linear;

  /** Creates `<prefix>.{q,k,v,out}`. @throws InvalidOptionError when `d` is not divisible by `heads`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly d: number, readonly heads: number, readonly dropoutRate: number) {
    if (!Number.isInteger(heads) || heads < 1 || d % heads !== 0) {
      throw new InvalidOptionError(`${prefix}.heads`, `a positive divisor of d = ${d}`, heads);
    }
    this.#q = new Linear(store, `${prefix}.q`, d, d);
    this.#k = new Linear(store, `${prefix}.k`, d, d);
    this.#v = new Linear(store, `${prefix}.v`, d, d);
    this.#out = new Linear(store, `${prefix}.out`, d, d);
  }

  /**
   * @param query `[B, Nq, d]`
   * @param key `[B, Nk, d]`
   * @param value `[B, Nk, d]`
   * @param mask additive mask broadcastable to `[B, h, Nq, Nk]` (0 keep, {@link MASKED} drop), or undefined
   * @param site suffix of the dropout site, for a block applied several times in one pass (recurrences)
   */
  apply(query: tf.Tensor3D, key: tf.Tensor3D, value: tf.Tensor3D, mask: tf.Tensor | undefined, scope: ForwardScope, site = ''): tf.Tensor3D {
    const q = splitHeads(this.#q.apply(query), this.heads);
    const k = splitHeads(this.#k.apply(key), this.heads);
    const v = splitHeads(this.#v.apply(value), this.heads);
    let scores: tf.Tensor4D = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(this.d / this.heads));
    if (mask !== undefined) scores = tf.add(scores, mask);
    const p = dropout(tf.softmax(scores), this.dropoutRate, `${this.prefix}.attn${site}`, scope);
    return this.#out.apply(joinHeads(tf.matMul(p, v)));
  }
}

/** Additive mask `[B, 1, 1, N]` from a `[B, N]` 0/1 key mask. */
export function keyPaddingMask(keyMask: tf.Tensor2D): tf.Tensor4D {
  const [b, n] = keyMask.shape;
  return tf.reshape(tf.mul(tf.sub(1, keyMask), MASKED), [b, 1, 1, n]);
}

/** Additive causal mask `[1, 1, T, T]`: position i attends to positions ≤ i. */
export function causalMask(t: number): tf.Tensor4D {
  const keep = tf.linalg.bandPart(tf.ones([t, t]), -1, 0);
  return tf.reshape(tf.mul(tf.sub(1, keep), MASKED), [1, 1, t, t]);
}
