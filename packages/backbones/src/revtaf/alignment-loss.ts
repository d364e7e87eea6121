import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../blocks/stop-gradient';
import { cosineMatrix } from './sinkhorn-attention';

// Binary map of where each key attends: its column normalised by its maximum, ≥ threshold.
function binarise(attention: tf.Tensor3D, threshold: number): tf.Tensor3D {
  const peak = tf.max(attention, 1, true);
  return tf.cast(tf.greaterEqual(tf.div(attention, tf.maximum(peak, 1e-12)), threshold), 'float32') as tf.Tensor3D;
}

/**
 * IoU `[B, R, S]` of the binarised attention maps of R region embeddings and S sentence
 * embeddings over the same N image tokens (REVTAF up-samples both to the image grid; here both
 * already share the token grid). A constant: binarisation has no gradient.
 */
export function attentionIoU(regionAttention: tf.Tensor3D, sentenceAttention: tf.Tensor3D, threshold: number): tf.Tensor3D {
  const r = binarise(stopGradient(regionAttention), threshold);
  const s = binarise(stopGradient(sentenceAttention), threshold);
  const inter = tf.matMul(r, s, true, false);
  const union = tf.sub(tf.add(tf.expandDims(tf.sum(r, 1), 2), tf.expandDims(tf.sum(s, 1), 1)), inter);
  return tf.div(inter, tf.maximum(union, 1)) as tf.Tensor3D;
}

/**
 * REVTAF's `align` loss: `mean(1 − σ(cos(region_txt, global_txt)) · IoU)` over the region ×
 * sentence pairs of each study (padding sentences excluded). Only the cosine term carries a
 * gradient, so the loss reaches only the two text projections; a study whose maps never overlap
 * contributes a constant 1 and no gradient.
 *
 * @param regionText projected region embeddings `[B, R, d]`
 * @param sentences projected sentence embeddings `[B, S, d]`
 * @param iou `[B, R, S]` from {@link attentionIoU}
 * @param sentenceMask `[B, S]`
 */
export function alignmentLoss(regionText: tf.Tensor3D, sentences: tf.Tensor3D, iou: tf.Tensor3D, sentenceMask: tf.Tensor2D): tf.Scalar {
  const [b, r, s] = iou.shape;
  const agreement = tf.mul(tf.sigmoid(cosineMatrix(regionText, sentences)), iou);
  const weights = tf.tile(tf.reshape(sentenceMask, [b, 1, s]), [1, r, 1]);
  return tf.div(tf.sum(tf.mul(tf.sub(1, agreement), weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
}
