import * as tf from '@tensorflow/tfjs-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { TgrgModel } from './model';
import { selectTopics } from './topic-selection';

interface DecodeState {
  readonly global: tf.Tensor2D;
  readonly topic: tf.Tensor2D;
  readonly patches: tf.Tensor3D;
  readonly nodes: tf.Tensor3D;
  readonly grams: tf.Tensor3D;
}

function disposeState(s: DecodeState): void {
  tf.dispose([s.global, s.topic, s.patches, s.nodes, s.grams]);
}

/**
 * The image branch of TGRG at test time: θ_img (no perturbation, so decoding is deterministic)
 * chooses the topics, gives the global token Linear2(θ_img) and the topic mixture; nothing of the
 * report or its labels is read. Then beam search re-runs the decoder over `[BOS] + prefix`.
 */
export function generateIds(model: TgrgModel, images: tf.Tensor5D, logPrior: Float32Array, opts: GenerateOptions, eos: number): number[][] {
  const scope = INFERENCE_SCOPE;
  const initial: DecodeState = tf.tidy(() => {
    const image = model.encodeImage(images, scope);
    const theta = model.imageTheta(image.encoded, scope);
    const selection = selectTopics(model.topics.logits(theta, tf.tensor1d(logPrior), 1, false), model.config.topK);
    const memories = model.memories(selection, image, scope);
    const state = { global: model.globalToken(theta, scope), topic: model.topicFeature(selection), ...memories };
    return state as unknown as tf.TensorContainerObject;
  }) as unknown as DecodeState;
  const scorer: BeamScorer<DecodeState> = {
    logProbs(state, prefixes) {
      return tf.tidy(() => {
        const rows = prefixes.length;
        const t = (prefixes[0]?.length ?? 0) + 1;
        const ids = new Int32Array(rows * t);
        prefixes.forEach((p, r) => ids.set(p, r * t + 1));
        const out = model.decode(state.global, state.topic, tf.tensor2d(ids, [rows, t], 'int32'), state, scope);
        const last = tf.reshape(tf.slice(out, [0, t, 0], [-1, 1, -1]), [rows, model.config.dModel]) as tf.Tensor2D;
        return { values: tf.logSoftmax(model.logit.apply(last)).dataSync() as Float32Array, vocabSize: model.logit.outDim };
      });
    },
    reorder(state, rows) {
      const next = tf.tidy(() => {
        const idx = tf.tensor1d(Int32Array.from(rows), 'int32');
        return {
          global: tf.gather(state.global, idx), topic: tf.gather(state.topic, idx), patches: tf.gather(state.patches, idx),
          nodes: tf.gather(state.nodes, idx), grams: tf.gather(state.grams, idx),
        } as unknown as tf.TensorContainerObject;
      }) as unknown as DecodeState;
      disposeState(state);
      return next;
    },
    dispose: disposeState,
  };
  const hyps = beamSearch(scorer, initial, {
    batchSize: images.shape[0],
    beamSize: opts.beamSize,
    maxLen: opts.maxLen,
    minLen: opts.minLen ?? 0,
    blockTrigrams: opts.blockTrigrams ?? false,
    eos,
  });
  return hyps.map((h) => h.tokens);
}
