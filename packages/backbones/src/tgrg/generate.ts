import * as tf from '@tensorflow/tfjs-core';
import { lastPositionBeamSearch } from '../beam/prefix-beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { TgrgModel } from './model';
import { selectTopics } from './topic-selection';

// A type alias, not an interface, so that it is a record of tensors for the beam search.
type DecodeState = {
  readonly global: tf.Tensor2D;
  readonly topic: tf.Tensor2D;
  readonly patches: tf.Tensor3D;
  readonly nodes: tf.Tensor3D;
  readonly grams: tf.Tensor3D;
};

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
  try {
    return lastPositionBeamSearch(
      initial,
      (state, ids) => {
        const [rows, t] = ids.shape;
        // The decoder output has the global token in front: position t is the last input's.
        const out = model.decode(state.global, state.topic, ids, state, scope);
        return model.logit.apply(tf.reshape(tf.slice(out, [0, t, 0], [-1, 1, -1]), [rows, model.config.dModel]) as tf.Tensor2D);
      },
      opts,
      eos,
    );
  } finally {
    tf.dispose(Object.values(initial));
  }
}
