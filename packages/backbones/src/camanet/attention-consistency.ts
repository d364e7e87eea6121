import * as tf from '@tensorflow/tfjs-core';
import { minMaxNormalize } from './foreground-map';

/** Inputs of {@link attentionConsistencyLoss}. */
export interface AttentionConsistencyInputs {
  /** Cross-attention probabilities of the probed decoder layer, `[B, h, T, N]`. */
  readonly probs: tf.Tensor4D;
  /** Embedded decoder inputs (`target_embed`), `[B, T, d]`. */
  readonly wordEmbeddings: tf.Tensor3D;
  /** The encoded foreground token (or, with the official code's slip, the first encoded patch), `[B, d]`. */
  readonly anchor: tf.Tensor2D;
  /** 1 on decoder input positions that are words (position 0, BOS, always counts), `[B, T]`. */
  readonly seqMask: tf.Tensor2D;
  /** The constant foreground map, `[B, N]`. */
  readonly foreMap: tf.Tensor2D;
  /** Reference multi-label targets, `[B, K]`: only samples with ≥ 1 positive enter the mean. */
  readonly labels: tf.Tensor2D;
  /** Fraction of positions kept (CAMANet `topk`). */
  readonly topk: number;
}

/**
 * 0/1 `[B, T]` mask of the positions CAMANet keeps: the `min(⌊topk·T⌋, ⌈topk·len_b⌉)` highest
 * similarities of each row (padding scores −1), ties broken by position. It is a selection, so no
 * gradient flows through it.
 */
export function topWordMask(similarity: tf.Tensor2D, seqMask: tf.Tensor2D, topk: number): tf.Tensor2D {
  // Forward ops inside customGrad are not taped: the comparisons below have no gradient in tfjs.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [sim, mask] = args as [tf.Tensor2D, tf.Tensor2D];
    const [b, t] = sim.shape;
    const w = tf.where(tf.greater(mask, 0), sim, tf.fill([b, t], -1));
    const wi = tf.reshape(w, [b, t, 1]);
    const ws = tf.reshape(w, [b, 1, t]);
    // earlier[i, s] = 1 when s < i.
    const earlier = tf.reshape(tf.sub(tf.linalg.bandPart(tf.ones([t, t]), -1, 0), tf.eye(t)), [1, t, t]);
    // rank[b, i] = #{s : w_s > w_i} + #{s < i : w_s = w_i}
    const ahead = tf.add(tf.cast(tf.greater(ws, wi), 'float32'), tf.mul(tf.cast(tf.equal(ws, wi), 'float32'), earlier));
    const rank = tf.sum(ahead, 2);
    const keep = tf.minimum(Math.floor(topk * t), tf.ceil(tf.mul(tf.sum(mask, 1, true), topk)));
    return { value: tf.cast(tf.less(rank, keep), 'float32'), gradFunc: () => [tf.zerosLike(sim), tf.zerosLike(mask)] };
  });
  return op(similarity, seqMask) as tf.Tensor2D;
}

/**
 * CAMANet's visual–textual attention consistency (VTAC), `modules/cam_attn_con.py` with
 * `method = 'max'` and the unweighted branch of `Weighted_MSELoss`:
 * - `s[b, t] = cos(word_t, anchor_b)`, −1 on padding;
 * - the head-mean cross-attention of every position is scaled by `s` and passed through ReLU;
 * - over the kept positions ({@link topWordMask}) the maximum per patch, min–max normalised;
 * - MSE against the foreground map, averaged over the samples with ≥ 1 positive label and the
 *   patches. With no such sample in the batch the loss is 0 (PyTorch's mean over nothing is NaN).
 */
export function attentionConsistencyLoss(inputs: AttentionConsistencyInputs): tf.Scalar {
  const { probs, wordEmbeddings, anchor, seqMask, foreMap, labels, topk } = inputs;
  const [b, t, d] = wordEmbeddings.shape;
  const n = foreMap.shape[1];
  const a = tf.reshape(anchor, [b, 1, d]);
  const dot = tf.sum(tf.mul(wordEmbeddings, a), 2);
  const norms = tf.mul(tf.norm(wordEmbeddings, 'euclidean', 2), tf.norm(a, 'euclidean', 2));
  const cos = tf.div(dot, tf.maximum(norms, 1e-8)) as tf.Tensor2D;
  const similarity = tf.where(tf.greater(seqMask, 0), cos, tf.fill([b, t], -1)) as tf.Tensor2D;
  const keep = topWordMask(similarity, seqMask, topk);
  const attn = tf.relu(tf.mul(tf.reshape(similarity, [b, t, 1]), tf.mean(probs, 1)));
  // ReLU makes every entry ≥ 0, so zeroing the dropped positions leaves the maximum unchanged.
  const total = minMaxNormalize(tf.max(tf.mul(attn, tf.reshape(keep, [b, t, 1])), 1));
  const gate = tf.cast(tf.greater(tf.sum(labels, 1), 0), 'float32');
  const perSample = tf.sum(tf.square(tf.sub(total, foreMap)), 1);
  return tf.div(tf.sum(tf.mul(perSample, gate)), tf.mul(tf.maximum(tf.sum(gate), 1), n)) as tf.Scalar;
}
