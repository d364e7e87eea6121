import * as tf from '@tensorflow/tfjs-core';
import type { TaskBlocks } from './device-gram';

/**
 * Forms Σ_i c_i g_i for every block on the device (the w·J half of the K-space method; the other
 * half is {@link deviceGram}). A block that no task reaches stays `undefined`, so the inner
 * optimizer skips it exactly as `tf.Optimizer.minimize` skips a variable without a gradient.
 * Coefficients are rounded once to float32, the precision of the gradients they multiply.
 */
export function combineBlocks(blocks: TaskBlocks, coefficients: Float64Array): (tf.Tensor | undefined)[] {
  return blocks.map((block) => {
    const present = block.flatMap((g, i) => (g === undefined ? [] : [{ g, c: coefficients[i] as number }]));
    if (present.length === 0) return undefined;
    return tf.tidy(() => {
      const terms = present.map(({ g, c }) => tf.mul(g, tf.scalar(c)));
      return terms.length === 1 ? (terms[0] as tf.Tensor) : tf.addN(terms);
    });
  });
}
