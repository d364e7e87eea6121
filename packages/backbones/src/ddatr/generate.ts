import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { PromptDecoder } from './prompt-decoder';

interface PromptState {
  readonly memory: tf.Tensor3D;
  readonly states: tf.Tensor2D;
}

/**
 * Beam search over a {@link PromptDecoder}: each hypothesis carries its decoder memory and its
 * predicted prompt states; every step re-runs the decoder over `[prompts, BOS, prefix]` and reads
 * the last position.
 *
 * @param memory projected visual tokens `[B, N, d]` (not disposed)
 * @param states predicted prompt states `[B, P]` int32 (not disposed)
 */
export function generatePromptedIds(decoder: PromptDecoder, memory: tf.Tensor3D, states: tf.Tensor2D, opts: GenerateOptions, eos: number): number[][] {
  const scorer: BeamScorer<PromptState> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const rows = prefixes.length;
        const t = (prefixes[0]?.length ?? 0) + 1;
        const ids = new Int32Array(rows * t);
        prefixes.forEach((p, r) => ids.set(p, r * t + 1));
        const logits = decoder.logits(state.memory, state.states, tf.tensor2d(ids, [rows, t], 'int32'), INFERENCE_SCOPE);
        const vocabSize = logits.shape[2];
        const last = tf.reshape(tf.slice(logits, [0, t - 1, 0], [-1, 1, -1]), [rows, vocabSize]);
        return { values: tf.logSoftmax(last).dataSync() as Float32Array, vocabSize };
      });
    },
    reorder(state, rows) {
      const next = tf.tidy(() => {
        const index = tf.tensor1d(Int32Array.from(rows), 'int32');
        return { memory: tf.gather(state.memory, index), states: tf.gather(state.states, index) };
      });
      tf.dispose([state.memory, state.states]);
      return next;
    },
    dispose(state) {
      tf.dispose([state.memory, state.states]);
    },
  };
  const hyps = beamSearch(scorer, { memory: tf.clone(memory), states: tf.clone(states) }, {
    batchSize: memory.shape[0],
    beamSize: opts.beamSize,
    maxLen: opts.maxLen,
    minLen: opts.minLen ?? 0,
    blockTrigrams: opts.blockTrigrams ?? false,
    eos,
  });
  return hyps.map((h) => h.tokens);
}
