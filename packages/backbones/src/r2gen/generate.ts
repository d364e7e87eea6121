import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import { beamSearchOptions } from '../beam/beam-search-options';
import { prefixIds } from '../beam/prefix-ids';
import type { GenerateOptions } from '../contract';
import type { R2GenModel } from './model';

/** Per-hypothesis decoding state: encoder output, relational memory and its past states. */
interface DecodeState {
  readonly memory: tf.Tensor3D;
  readonly rm: tf.Tensor3D;
  readonly history: tf.Tensor3D | undefined;
}

function disposeState(state: DecodeState): void {
  tf.dispose([state.memory, state.rm, ...(state.history === undefined ? [] : [state.history])]);
}

/**
 * Decodes with {@link beamSearch}. Each step runs the decoder over `[BOS] + prefix` and reads the
 * last position, as R2Gen's `core` does, but advances the relational memory by one input instead of
 * re-running it over the prefix (the same values; `r2gen.test.ts` checks them against `decode`).
 */
export function generateIds(model: R2GenModel, memory: tf.Tensor3D, opts: GenerateOptions, eos: number): number[][] {
  let pending: { rm: tf.Tensor3D; history: tf.Tensor3D } | undefined;
  const scorer: BeamScorer<DecodeState> = {
    logProbs(state, prefixes) {
      const step = tf.tidy(() => {
        const out = model.decodeStep(state.memory, prefixIds(prefixes), state.rm, state.history);
        return { logProbs: tf.logSoftmax(out.logits), rm: out.rm, history: out.history };
      });
      // The advanced memory becomes the state's at the next reorder (beam search always reorders
      // after scoring, or disposes).
      pending = { rm: step.rm, history: step.history };
      const values = step.logProbs.dataSync() as Float32Array;
      const vocabSize = step.logProbs.shape[1];
      step.logProbs.dispose();
      return { values, vocabSize };
    },
    reorder(state, rowList) {
      const advanced = pending ?? { rm: state.rm, history: state.history };
      const next = tf.tidy(() => {
        const index = tf.tensor1d(Int32Array.from(rowList), 'int32');
        return {
          memory: tf.gather(state.memory, index),
          rm: tf.gather(advanced.rm, index),
          history: advanced.history === undefined ? undefined : tf.gather(advanced.history, index),
        };
      });
      disposeState(state);
      if (pending !== undefined) tf.dispose([pending.rm, pending.history]);
      pending = undefined;
      return next as DecodeState;
    },
    dispose(state) {
      disposeState(state);
      if (pending !== undefined) tf.dispose([pending.rm, pending.history]);
      pending = undefined;
    },
  };
  const initial: DecodeState = { memory: tf.clone(memory), rm: model.initialMemoryState(memory.shape[0]), history: undefined };
  const hyps = beamSearch(scorer, initial, beamSearchOptions(opts, memory.shape[0], eos));
  return hyps.map((h) => h.tokens);
}
