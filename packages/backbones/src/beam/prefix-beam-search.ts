import * as tf from '@tensorflow/tfjs-core';
import type { GenerateOptions } from '../contract';
import { beamSearch } from './beam-search';
import type { BeamScorer } from './beam-search';
import { beamSearchOptions } from './beam-search-options';
import { prefixIds } from './prefix-ids';

/** Per-hypothesis tensors of a decoder (batch axis first); beam search gathers each of them. */
export type PrefixState = Readonly<Record<string, tf.Tensor>>;

/**
 * Beam search for decoders that re-run over the whole prefix at each step: `logitsOf(state, ids)`
 * gets `[BOS, prefix…]` ids `[rows, t]` (BOS = 0) and returns logits `[rows, t, V]`, of which the
 * last position is scored. The state tensors are cloned, so the caller keeps ownership of `initial`.
 */
export function prefixBeamSearch<S extends PrefixState>(
  initial: S,
  logitsOf: (state: S, ids: tf.Tensor2D) => tf.Tensor3D,
  opts: GenerateOptions,
  eos: number,
): number[][] {
  return lastPositionBeamSearch(
    initial,
    (state, ids) => {
      const logits = logitsOf(state, ids);
      const [rows, t, vocabSize] = logits.shape;
      return tf.reshape(tf.slice(logits, [0, t - 1, 0], [-1, 1, -1]), [rows, vocabSize]);
    },
    opts,
    eos,
  );
}

/**
 * {@link prefixBeamSearch} for decoders that project only the last position to the vocabulary
 * (R2Gen's `core`: the logit layer sees one row per hypothesis): `lastLogitsOf(state, ids)` returns
 * the logits `[rows, V]` of the position after `[BOS, prefix…]`.
 */
export function lastPositionBeamSearch<S extends PrefixState>(
  initial: S,
  lastLogitsOf: (state: S, ids: tf.Tensor2D) => tf.Tensor2D,
  opts: GenerateOptions,
  eos: number,
): number[][] {
  const disposeState = (state: S): void => tf.dispose(Object.values(state));
  const scorer: BeamScorer<S> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const last = lastLogitsOf(state, prefixIds(prefixes));
        return { values: tf.logSoftmax(last).dataSync() as Float32Array, vocabSize: last.shape[1] };
      });
    },
    reorder(state, rows) {
      const next = tf.tidy(() => {
        const index = tf.tensor1d(Int32Array.from(rows), 'int32');
        return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, tf.gather(v, index)])) as S;
      });
      disposeState(state);
      return next;
    },
    dispose: disposeState,
  };
  const first = Object.values(initial)[0];
  const start = tf.tidy(() => Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, tf.clone(v)])) as S);
  const hyps = beamSearch(scorer, start, beamSearchOptions(opts, first?.shape[0] ?? 0, eos));
  return hyps.map((h) => h.tokens);
}
