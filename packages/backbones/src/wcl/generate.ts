import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { WclModel } from './model';

/**
 * Beam search over the R2Gen decoder (WCL generates exactly as R2Gen: the projections are
 * training-only). The state is the encoder output of each live hypothesis; each step re-runs the
 * decoder and the relational memory over `[BOS] + prefix` and reads the last position.
 */
export function generateWclIds(model: WclModel, memory: tf.Tensor3D, opts: GenerateOptions, eos: number): number[][] {
  const scorer: BeamScorer<tf.Tensor3D> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const rows = prefixes.length;
        const t = (prefixes[0]?.length ?? 0) + 1;
        const ids = new Int32Array(rows * t);
        prefixes.forEach((p, r) => ids.set(p, r * t + 1));
        const { hidden } = model.decodeHidden(state, tf.tensor2d(ids, [rows, t], 'int32'), INFERENCE_SCOPE);
        const last = tf.reshape(tf.slice(hidden, [0, t - 1, 0], [-1, 1, -1]), [rows, 1, hidden.shape[2]]) as tf.Tensor3D;
        const logits = model.logits(last);
        const vocabSize = logits.shape[2];
        return { values: tf.logSoftmax(tf.reshape(logits, [rows, vocabSize])).dataSync() as Float32Array, vocabSize };
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
