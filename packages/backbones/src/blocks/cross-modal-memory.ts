import * as tf from '@tensorflow/tfjs-core';
import { unaryCustomGrad } from './unary-custom-grad';
import { InvalidOptionError } from '@came-grad/optim-core';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { Linear } from './linear';
import { MASKED, joinHeads, splitHeads } from './multi-head-attention';

/** Sizes of a {@link CrossModalMemory}. */
export interface CrossModalMemoryOptions {
  /** Memory rows (R2GenCMN `cmm_size`, 2048; small config 128). */
  readonly size: number;
  /** Memory width = the model width d (`cmm_dim`). */
  readonly d: number;
  /** Heads. */
  readonly heads: number;
  /** Rows kept per query and head (R2GenCMN 32; small config 8). */
  readonly topk: number;
  /** Dropout on the top-k attention weights. */
  readonly dropout: number;
}

/**
 * R2GenCMN's cross-modal memory (Chen et al., ACL-IJCNLP 2021, `MultiThreadMemory`): a shared
 * matrix `M` `[size, d]`, initialised N(0, 1/d). A query set X is answered per head by
 * `Q = W_q X`, `K = W_k M`, `V = W_v M`; the top-k scores per query are softmaxed and weight the
 * corresponding rows of V; an output projection follows. The caller adds the response to X.
 *
 * The top-k selection is done as a mask (exactly k ones per row, from `tf.topk` on the scores,
 * which carries no gradient) rather than a gather: the softmax over masked scores equals the
 * softmax over the gathered top-k, and its gradient flows to the selected scores only, as in the
 * original.
 */
export class CrossModalMemory {
  readonly memory: tf.Variable;
  readonly #q: Linear;
  readonly #k: Linear;
  readonly #v: Linear;
  readonly #out: Linear;

  /** Creates `<prefix>.memory` and `<prefix>.{q,k,v,out}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: CrossModalMemoryOptions) {
    const { size, d, heads, topk } = options;
    if (!Number.isInteger(topk) || topk < 1 || topk > size) {
      throw new InvalidOptionError(`${prefix}.topk`, `an integer in [1, size = ${size}]`, topk);
    }
    if (!Number.isInteger(heads) || heads < 1 || d % heads !== 0) {
      throw new InvalidOptionError(`${prefix}.heads`, `a positive divisor of d = ${d}`, heads);
    }
    this.memory = store.add(`${prefix}.memory`, [size, d], { kind: 'normal', std: 1 / Math.sqrt(d) });
    this.#q = new Linear(store, `${prefix}.q`, d, d);
    this.#k = new Linear(store, `${prefix}.k`, d, d);
    this.#v = new Linear(store, `${prefix}.v`, d, d);
    this.#out = new Linear(store, `${prefix}.out`, d, d);
  }

  /** The response `[B, N, d]` of the memory to the queries `[B, N, d]`. */
  apply(queries: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    const { size, d, heads, topk } = this.options;
    const mem = tf.expandDims(this.memory, 0) as tf.Tensor3D;
    const q = splitHeads(this.#q.apply(queries), heads);
    const k = splitHeads(this.#k.apply(mem), heads);
    const v = splitHeads(this.#v.apply(mem), heads);
    const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d / heads)) as tf.Tensor4D;
    const keep = topkMask(scores, topk, size);
    const masked = tf.add(scores, tf.mul(tf.sub(1, keep), MASKED));
    const p = dropout(tf.softmax(masked), this.options.dropout, `${this.prefix}.attn`, scope);
    return this.#out.apply(joinHeads(tf.matMul(p, v)));
  }
}

/**
 * 0/1 mask with ones at the k largest entries of each last-axis row (ties: lowest index first).
 * It carries no gradient: the selection is a constant of the backward pass.
 */
export function topkMask(scores: tf.Tensor, k: number, depth: number): tf.Tensor {
  const op = unaryCustomGrad((input: tf.Tensor) => ({
    value: tf.tidy(() => tf.sum(tf.oneHot(tf.topk(input, k, true).indices, depth), -2)),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return op(scores);
}
