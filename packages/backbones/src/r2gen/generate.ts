import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { R2GenModel } from './model';

/**
 * Decodes with {@link beamSearch}. The state is the encoder output of each live hypothesis; each
 * step re-runs the decoder (and the relational memory) over `[BOS] + prefix` and reads the last
 * position, as R2Gen's `core` does.
 */
export function generateIds(model: R2GenModel, memory: tf.Tensor3D, opts: GenerateOptions, eos: number): number[][] {
  const scorer: BeamScorer<tf.Tensor3D> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const rows = prefixes.length;
        const t = (prefixes[0]?.length ?? 0) + 1;
        const ids = new Int32Array(rows * t);
        prefixes.forEach((p, r) => ids.set(p, r * t + 1));
        const logits = model.decode(state, tf.tensor2d(ids, [rows, t], 'int32'), INFERENCE_SCOPE);
        const vocabSize = logits.shape[2];
        const last = tf.reshape(tf.slice(logits, [0, t - 1, 0], [-1, 1, -1]), [rows, vocabSize]);
        return { values: tf.logSoftmax(last).dataSync() as Float32Array, vocabSize };
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
