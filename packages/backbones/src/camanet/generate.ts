import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { CamanetModel } from './model';

/**
 * Beam search over the CAMANet decoder. The state is the encoded patch memory of each live
 * hypothesis; each step re-runs the decoder (and the relational memory) over `[BOS] + prefix` and
 * reads the last position, as R2Gen's `core` does.
 */
export function generateIds(model: CamanetModel, memory: tf.Tensor3D, opts: GenerateOptions, eos: number): number[][] {
  const scorer: BeamScorer<tf.Tensor3D> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const rows = prefixes.length;
        const t = (prefixes[0]?.length ?? 0) + 1;
        const ids = new Int32Array(rows * t);
        prefixes.forEach((p, r) => ids.set(p, r * t + 1));
        const { out } = model.decode(state, tf.tensor2d(ids, [rows, t], 'int32'), INFERENCE_SCOPE);
        if (out === undefined) throw new Error('came-grad internal invariant violated: decoder stopped early');
        const last = tf.reshape(tf.slice(out, [0, t - 1, 0], [-1, 1, -1]), [rows, out.shape[2]]) as tf.Tensor2D;
        const logits = model.logit.apply(last) as tf.Tensor2D;
        return { values: tf.logSoftmax(logits).dataSync() as Float32Array, vocabSize: model.logit.outDim };
      });
    },
    reorder(state, rows) {
      const next = tf.tidy(() => tf.gather(state, tf.tensor1d(Int32Array.from(rows), 'int32')));
      state.dispose();
      return next;
    },
    dispose(state) {
      state.dispose();
    },
  };
  const hyps = beamSearch(scorer, tf.clone(memory), {
    batchSize: memory.shape[0],
    beamSize: opts.beamSize,
    maxLen: opts.maxLen,
    minLen: opts.minLen ?? 0,
    blockTrigrams: opts.blockTrigrams ?? false,
    eos,
  });
  return hyps.map((h) => h.tokens);
}
