import * as tf from '@tensorflow/tfjs-core';
import { lastPositionBeamSearch } from '../beam/prefix-beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { CamanetModel } from './model';

/**
 * Beam search over the CAMANet decoder. The state is the encoded patch memory of each live
 * hypothesis; each step re-runs the decoder (and the relational memory) over `[BOS] + prefix` and
 * reads the last position, as R2Gen's `core` does.
 */
export function generateIds(model: CamanetModel, memory: tf.Tensor3D, opts: GenerateOptions, eos: number): number[][] {
  return lastPositionBeamSearch(
    { memory },
    (state, ids) => {
      const { out } = model.decode(state.memory, ids, INFERENCE_SCOPE);
      if (out === undefined) throw new Error('came-grad internal invariant violated: decoder stopped early');
      const t = ids.shape[1];
      const last = tf.reshape(tf.slice(out, [0, t - 1, 0], [-1, 1, -1]), [ids.shape[0], out.shape[2]]) as tf.Tensor2D;
      return model.logit.apply(last) as tf.Tensor2D;
    },
    opts,
    eos,
  );
}
