import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import { topkMask } from '../blocks/cross-modal-memory';
import { Linear } from '../blocks/linear';
import { MASKED, joinHeads, splitHeads } from '../blocks/multi-head-attention';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';

/** Sizes of a {@link PrototypeMemory}. */
export interface PrototypeMemoryOptions {
  readonly d: number;
  readonly heads: number;
  /** Rows kept per query and head (XProNet 15). */
  readonly topk: number;
  /** Dropout on the attention weights. */
  readonly dropout: number;
}

/**
 * XProNet's querying of the class prototypes (R2GenCMN's `MultiThreadMemory` with a per-sample
 * row mask). It differs from the shared `CrossModalMemory` block in what is queried: a different
 * subset of rows per study (the prototypes of its positive labels, a variable-length set), so the
 * keys carry an additive mask before the top-k selection, as the original's `cmn_masks`. When a
 * study has fewer valid rows than k, the extra selected rows are masked and get zero weight.
 */
export class PrototypeMemory {
  readonly #q: Linear;
  readonly #k: Linear;
  readonly #v: Linear;
  readonly #out: Linear;

  /** Creates `<prefix>.{q,k,v,out}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: PrototypeMemoryOptions) {
    const { d, heads } = options;
    if (!Number.isInteger(heads) || heads < 1 || d % heads !== 0) throw new InvalidOptionError(`${prefix}.heads`, `a positive divisor of d = ${d}`, heads);
    this.#q = new Linear(store, `${prefix}.q`, d, d);
    this.#k = new Linear(store, `${prefix}.k`, d, d);
    this.#v = new Linear(store, `${prefix}.v`, d, d);
    this.#out = new Linear(store, `${prefix}.out`, d, d);
  }

  /**
   * The response `[B, N, d]` to the queries `[B, N, d]`.
   * @param rows prototype rows `[P, d]` (shared by the batch)
   * @param rowMask `[B, P]`, 1 for the rows a study may read
   * @param site dropout site suffix (the memory is queried by image tokens and by words in one pass)
   */
  apply(queries: tf.Tensor3D, rows: tf.Tensor2D, rowMask: tf.Tensor2D, scope: ForwardScope, site: string): tf.Tensor3D {
    const { d, heads, topk } = this.options;
    const [b, p] = rowMask.shape;
    // The rows are tiled over the batch: tfjs's BatchMatMul gradient does not reduce a broadcast
    // batch axis (a [1, …] operand gets a [B, …] gradient and the tape rejects it).
    const mem = tf.tile(tf.expandDims(rows, 0), [b, 1, 1]) as tf.Tensor3D;
    const q = splitHeads(this.#q.apply(queries), heads);
    const k = splitHeads(this.#k.apply(mem), heads);
    const v = splitHeads(this.#v.apply(mem), heads);
    const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d / heads));
    const invalid = tf.reshape(tf.mul(tf.sub(1, rowMask), MASKED), [b, 1, 1, p]);
    const masked = tf.add(scores, invalid);
    const keep = topkMask(masked, Math.min(topk, p), p);
    const selected = tf.add(masked, tf.mul(tf.sub(1, keep), MASKED));
    const attn = dropout(tf.softmax(selected), this.options.dropout, `${this.prefix}.attn${site}`, scope);
    return this.#out.apply(joinHeads(tf.matMul(attn, v) as tf.Tensor4D));
  }
}
