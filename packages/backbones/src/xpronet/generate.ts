import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { XProNetModel } from './model';

/** Per-hypothesis decoding state: the encoder output and the prototype row mask of its study. */
interface State {
  readonly memory: tf.Tensor3D;
  readonly mask: tf.Tensor2D;
}

/**
 * Beam search over the XProNet decoder. Each step re-runs the prototype query and the decoder
 * over `[BOS] + prefix` (the words' responses depend on the study's prototype rows) and reads the
 * last position.
 */
export function generateXProNetIds(model: XProNetModel, memory: tf.Tensor3D, mask: tf.Tensor2D, opts: GenerateOptions, eos: number): number[][] {
  const scorer: BeamScorer<State> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const rows = prefixes.length;
        const t = (prefixes[0]?.length ?? 0) + 1;
        const ids = new Int32Array(rows * t);
        prefixes.forEach((p, r) => ids.set(p, r * t + 1));
        const text = model.textSide(tf.tensor2d(ids, [rows, t], 'int32'), state.mask, INFERENCE_SCOPE);
        const logits = model.decode(state.memory, text, INFERENCE_SCOPE);
        const vocabSize = logits.shape[2];
        const last = tf.reshape(tf.slice(logits, [0, t - 1, 0], [-1, 1, -1]), [rows, vocabSize]);
        return { values: tf.logSoftmax(last).dataSync() as Float32Array, vocabSize };
      });
    },
    reorder(state, rows) {
      const next = tf.tidy(() => {
        const index = tf.tensor1d(Int32Array.from(rows), 'int32');
        return { memory: tf.gather(state.memory, index), mask: tf.gather(state.mask, index) };
      });
      tf.dispose([state.memory, state.mask]);
      return next;
    },
    dispose(state) {
      tf.dispose([state.memory, state.mask]);
    },
  };
  const hyps = beamSearch(scorer, { memory: tf.clone(memory), mask: tf.clone(mask) }, {
    batchSize: memory.shape[0],
    beamSize: opts.beamSize,
    maxLen: opts.maxLen,
    minLen: opts.minLen ?? 0,
    blockTrigrams: opts.blockTrigrams ?? false,
    eos,
  });
  return hyps.map((h) => h.tokens);
}
