import * as tf from '@tensorflow/tfjs-core';
import { TOPICS } from './config';

/** The topics chosen for each study. */
export interface TopicSelection {
  /** Topic ids, `k` per study, best first (ties: lower id first). */
  readonly indices: readonly (readonly number[])[];
  /**
   * `[B, 28]` constant mixture weights: the chosen topics' posterior probabilities renormalised to
   * sum to 1 (TGRG detaches them), 0 elsewhere.
   */
  readonly weights: tf.Tensor2D;
}

/**
 * TGRG's `topic_infer`: the top-`k` topics of each posterior and their renormalised weights. The
 * choice is discrete (TGRG detaches it too), so it runs on the host from the logits' values; the
 * returned weights are a constant tensor.
 */
export function selectTopics(logits: tf.Tensor2D, k: number): TopicSelection {
  const [b] = logits.shape;
  const values = logits.dataSync();
  const indices: number[][] = [];
  const weights = new Float32Array(b * TOPICS);
  for (let r = 0; r < b; r++) {
    const row = Array.from(values.subarray(r * TOPICS, (r + 1) * TOPICS));
    const order = row.map((_, i) => i).sort((i, j) => (row[j] as number) - (row[i] as number) || i - j);
    const chosen = order.slice(0, k);
    const top = row[chosen[0] as number] as number;
    // exp(l − max) ∝ the posterior probability; its normalising constant cancels in the ratio.
    const mass = chosen.map((i) => Math.exp((row[i] as number) - top));
    const sum = mass.reduce((x, y) => x + y, 0);
    chosen.forEach((i, j) => {
      weights[r * TOPICS + i] = (mass[j] as number) / sum;
    });
    indices.push(chosen);
  }
  return { indices, weights: tf.tensor2d(weights, [b, TOPICS]) };
}

/**
 * The memory rows of the chosen topics: `table` is `[28 · slots, d]` (topic-major), the result
 * `[B, k · slots, d]`, in the order of the chosen topics.
 */
export function gatherTopicRows(table: tf.Tensor2D, indices: readonly (readonly number[])[], slots: number): tf.Tensor3D {
  const k = indices[0]?.length ?? 0;
  const rows = new Int32Array(indices.length * k * slots);
  indices.forEach((chosen, r) => chosen.forEach((topic, j) => {
    for (let s = 0; s < slots; s++) rows[(r * k + j) * slots + s] = topic * slots + s;
  }));
  const d = table.shape[1];
  return tf.reshape(tf.gather(table, tf.tensor1d(rows, 'int32')), [indices.length, k * slots, d]);
}
