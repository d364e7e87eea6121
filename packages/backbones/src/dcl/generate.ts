import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
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
  const scorer: BeamScorer<tf.Tensor3D> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const rows = prefixes.length;
        const t = (prefixes[0]?.length ?? 0) + 1;
        const ids = new Int32Array(rows * t);
        prefixes.forEach((p, r) => ids.set(p, r * t + 1));
        const states = model.textStates('decode', tf.tensor2d(ids, [rows, t], 'int32'), tf.ones([rows, t]) as tf.Tensor2D, state, INFERENCE_SCOPE);
        const logits = head.apply(tf.slice(states, [0, t - 1, 0], [-1, 1, -1]));
        const vocabSize = logits.shape[2] as number;
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
  const hyps = beamSearch(scorer, tf.clone(embeds), {
    batchSize: embeds.shape[0],
    beamSize: opts.beamSize,
    maxLen: opts.maxLen,
    minLen: opts.minLen ?? 0,
    blockTrigrams: opts.blockTrigrams ?? false,
    eos,
  });
  return hyps.map((h) => h.tokens);
}
