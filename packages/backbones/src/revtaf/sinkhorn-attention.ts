import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import { MASKED } from '../blocks/multi-head-attention';
import type { ParameterStore } from '../params/parameter-store';

// Cosine denominators stay finite for zero vectors (padding sentences project to the bias only).
const COS_EPS = 1e-8;
// log of a zero marginal: finite, far below every real log-weight.
const LOG_ZERO = -1e4;

/** Options of {@link sinkhornPlan}. */
export interface SinkhornOptions {
  readonly iterations: number;
  readonly epsilon: number;
}

/** Row-wise cosine similarity `[B, N, K]` of `a` `[B, N, d]` and `b` `[B, K, d]`. */
export function cosineMatrix(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const na = tf.div(a, tf.add(tf.norm(a, 'euclidean', -1, true), COS_EPS));
  const nb = tf.div(b, tf.add(tf.norm(b, 'euclidean', -1, true), COS_EPS));
  return tf.matMul(na, nb, false, true);
}

/**
 * Entropic optimal transport between N queries (uniform mass 1/N) and the K keys with
 * `keyMask` 1 (uniform mass over them), for the cost `[B, N, K]`, by a fixed number of Sinkhorn
 * iterations in log space (`f = log a − LSE(−C/ε + g)`, `g = log b − LSE(−C/ε + f)`), which keeps
 * the small ε of REVTAF (0.05) free of underflow. Returns the plan `[B, N, K]`.
 */
export function sinkhornPlan(cost: tf.Tensor3D, keyMask: tf.Tensor2D, options: SinkhornOptions): tf.Tensor3D {
  const [b, n, k] = cost.shape;
  const mask = tf.reshape(keyMask, [b, 1, k]);
  const logKernel = tf.add(tf.div(tf.neg(cost), options.epsilon), tf.mul(tf.sub(1, mask), MASKED));
  const logA = Math.log(1 / n);
  const colMass = tf.div(mask, tf.maximum(tf.sum(mask, 2, true), 1));
  const logB = tf.where(tf.greater(colMass, 0), tf.log(tf.maximum(colMass, 1e-30)), tf.fill([b, 1, k], LOG_ZERO));
  let f: tf.Tensor = tf.zeros([b, n, 1]);
  let g: tf.Tensor = tf.zeros([b, 1, k]);
  for (let i = 0; i < options.iterations; i++) {
    f = tf.sub(logA, tf.logSumExp(tf.add(logKernel, g), 2, true));
    g = tf.sub(logB, tf.logSumExp(tf.add(logKernel, f), 1, true));
  }
  return tf.exp(tf.add(tf.add(logKernel, f), g)) as tf.Tensor3D;
}

/** Output of {@link OptimalTransportAttention.apply}. */
export interface OptimalTransportOutput {
  /** Enhanced queries `[B, N, d]` (residual). */
  readonly out: tf.Tensor3D;
  /** Attention `[B, N, K]`: the transport plan scaled so each query's row sums to 1. */
  readonly attention: tf.Tensor3D;
}

/**
 * REVTAF's optimal-transport cross-attention (one head at test scale): the attention of image
 * tokens over text embeddings is the Sinkhorn plan for the cost `1 − cos(W_q x, W_k t)` instead of
 * a softmax, so every text embedding receives the same total attention mass.
 */
export class OptimalTransportAttention {
  readonly #q: Linear;
  readonly #k: Linear;
  readonly #v: Linear;
  readonly #out: Linear;

  /** Creates `<prefix>.{q,k,v,out}` (`d → d`). */
  constructor(store: ParameterStore, prefix: string, readonly d: number, readonly options: SinkhornOptions) {
    this.#q = new Linear(store, `${prefix}.q`, d, d);
    this.#k = new Linear(store, `${prefix}.k`, d, d);
    this.#v = new Linear(store, `${prefix}.v`, d, d);
    this.#out = new Linear(store, `${prefix}.out`, d, d);
  }

  /**
   * @param query image tokens `[B, N, d]`
   * @param keys text embeddings `[B, K, d]`
   * @param keyMask `[B, K]`, 1 on real embeddings (at least one per study)
   */
  apply(query: tf.Tensor3D, keys: tf.Tensor3D, keyMask: tf.Tensor2D): OptimalTransportOutput {
    const cost = tf.sub(1, cosineMatrix(this.#q.apply(query), this.#k.apply(keys))) as tf.Tensor3D;
    const attention = tf.mul(sinkhornPlan(cost, keyMask, this.options), query.shape[1]) as tf.Tensor3D;
    const out = tf.add(query, this.#out.apply(tf.matMul(attention, this.#v.apply(keys)))) as tf.Tensor3D;
    return { out, attention };
  }
}
