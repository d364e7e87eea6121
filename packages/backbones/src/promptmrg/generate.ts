import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { PromptDecoder } from './prompt-decoder';

interface DecodeState {
  readonly memory: tf.Tensor3D;
  readonly prompt: tf.Tensor2D;
}

/**
 * Beam search over the prompt decoder: every step re-runs the decoder over `prompt + [BOS] +
 * prefix` and reads the last position. The prompt holds the *predicted* states, so generation
 * reads nothing of the reference report.
 */
export function generateIds(decoder: PromptDecoder, memory: tf.Tensor3D, prompt: tf.Tensor2D, opts: GenerateOptions, eos: number): number[][] {
  const scorer: BeamScorer<DecodeState> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const rows = prefixes.length;
        const t = (prefixes[0]?.length ?? 0) + 1;
        const ids = new Int32Array(rows * t);
        prefixes.forEach((p, r) => ids.set(p, r * t + 1));
        const logits = decoder.decode(state.memory, state.prompt, tf.tensor2d(ids, [rows, t], 'int32'), INFERENCE_SCOPE);
        const vocabSize = logits.shape[2];
        const last = tf.reshape(tf.slice(logits, [0, t - 1, 0], [-1, 1, -1]), [rows, vocabSize]);
        return { values: tf.logSoftmax(last).dataSync() as Float32Array, vocabSize };
      });
    },
    reorder(state, rows) {
      const next = tf.tidy(() => {
        const index = tf.tensor1d(Int32Array.from(rows), 'int32');
        return { memory: tf.gather(state.memory, index), prompt: tf.gather(state.prompt, index) };
      });
      tf.dispose([state.memory, state.prompt]);
      return next;
    },
    dispose(state) {
      tf.dispose([state.memory, state.prompt]);
    },
  };
  const hyps = beamSearch(scorer, { memory: tf.clone(memory), prompt: tf.clone(prompt) }, {
    batchSize: memory.shape[0],
    beamSize: opts.beamSize,
    maxLen: opts.maxLen,
    minLen: opts.minLen ?? 0,
    blockTrigrams: opts.blockTrigrams ?? false,
    eos,
  });
  return hyps.map((h) => h.tokens);
}
