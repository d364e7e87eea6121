import * as tf from '@tensorflow/tfjs-core';
import { maskedSoftmaxCrossEntropy } from '../blocks/softmax-cross-entropy';
import { MASKED } from '../blocks/multi-head-attention';

/**
 * REVTAF's rank targets: for each study, the other study of the batch whose one-hot 14 × 4 label
 * vector is nearest in Hamming distance (twice the number of observations whose states differ);
 * ties go to the lower index. A batch of one study has no target (−1).
 *
 * @param states `[B·L]` row-major state ids
 */
export function rankTargets(states: Int32Array, batch: number, labels: number): Int32Array {
  const out = new Int32Array(batch).fill(-1);
  for (let i = 0; i < batch; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let j = 0; j < batch; j++) {
      if (j === i) continue;
      let d = 0;
      for (let l = 0; l < labels; l++) if (states[i * labels + l] !== states[j * labels + l]) d += 2;
      if (d < best) {
        best = d;
        out[i] = j;
      }
    }
  }
  return out;
}

/**
 * REVTAF's `rank` loss: cross-entropy over the negative distances from each study to the other
 * B − 1 studies of the batch, against the nearest-label target of {@link rankTargets}. Zero for a
 * batch of one.
 *
 * @param distances `[B, B]` pairwise distances of the retrieval embeddings
 */
export function rankLoss(distances: tf.Tensor2D, targets: Int32Array): tf.Scalar {
  const b = distances.shape[0];
  const self = tf.mul(tf.eye(b), MASKED);
  const logits = tf.add(tf.neg(distances), self) as tf.Tensor2D;
  const valid = Float32Array.from(targets, (t) => (t >= 0 ? 1 : 0));
  const target = Int32Array.from(targets, (t) => Math.max(t, 0));
  return maskedSoftmaxCrossEntropy(logits, tf.tensor1d(target, 'int32'), tf.tensor1d(valid));
}
