import type * as tf from '@tensorflow/tfjs-core';
import { prefixBeamSearch } from '../beam/prefix-beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { XProNetModel } from './model';

/**
 * Beam search over the XProNet decoder. Each step re-runs the prototype query and the decoder
 * over `[BOS] + prefix` (the words' responses depend on the study's prototype rows) and reads the
 * last position.
 */
export function generateXProNetIds(model: XProNetModel, memory: tf.Tensor3D, mask: tf.Tensor2D, opts: GenerateOptions, eos: number): number[][] {
  return prefixBeamSearch(
    { memory, mask },
    (state, ids) => model.decode(state.memory, model.textSide(ids, state.mask, INFERENCE_SCOPE), INFERENCE_SCOPE),
    opts,
    eos,
  );
}
