import * as tf from '@tensorflow/tfjs-core';
import { lastPositionBeamSearch } from '../beam/prefix-beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { WclModel } from './model';

/**
 * Beam search over the R2Gen decoder (WCL generates exactly as R2Gen: the projections are
 * training-only). The state is the encoder output of each live hypothesis; each step re-runs the
 * decoder and the relational memory over `[BOS] + prefix` and reads the last position.
 */
export function generateWclIds(model: WclModel, memory: tf.Tensor3D, opts: GenerateOptions, eos: number): number[][] {
  return lastPositionBeamSearch(
    { memory },
    (state, ids) => {
      const [rows, t] = ids.shape;
      const { hidden } = model.decodeHidden(state.memory, ids, INFERENCE_SCOPE);
      const last = tf.reshape(tf.slice(hidden, [0, t - 1, 0], [-1, 1, -1]), [rows, 1, hidden.shape[2]]) as tf.Tensor3D;
      const logits = model.logits(last);
      return tf.reshape(logits, [rows, logits.shape[2]]);
    },
    opts,
    eos,
  );
}
