import * as tf from '@tensorflow/tfjs-core';
import { lastPositionBeamSearch } from '../beam/prefix-beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { DclModel } from './model';

/**
 * Beam search over the image-grounded decoder: every step re-runs the decoder over `[BOS] +
 * prefix` against the knowledge-enhanced image embeddings of each live hypothesis and reads the
 * last position.
 */
export function generateIds(model: DclModel, embeds: tf.Tensor3D, opts: GenerateOptions, eos: number): number[][] {
  const head = model.lmHead;
  if (head === undefined) throw new Error('came-grad internal invariant violated: generation with a momentum model');
  return lastPositionBeamSearch(
    { embeds },
    (state, ids) => {
      const [rows, t] = ids.shape;
      const states = model.textStates('decode', ids, tf.ones([rows, t]) as tf.Tensor2D, state.embeds, INFERENCE_SCOPE);
      const logits = head.apply(tf.slice(states, [0, t - 1, 0], [-1, 1, -1]));
      return tf.reshape(logits, [rows, logits.shape[2] as number]);
    },
    opts,
    eos,
  );
}
