import type * as tf from '@tensorflow/tfjs-core';
import { prefixBeamSearch } from '../beam/prefix-beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { PromptDecoder } from './prompt-decoder';

/**
 * Beam search over the prompt decoder: every step re-runs the decoder over `prompt + [BOS] +
 * prefix` and reads the last position. The prompt holds the *predicted* states, so generation
 * reads nothing of the reference report.
 */
export function generateIds(decoder: PromptDecoder, memory: tf.Tensor3D, prompt: tf.Tensor2D, opts: GenerateOptions, eos: number): number[][] {
  return prefixBeamSearch({ memory, prompt }, (state, ids) => decoder.decode(state.memory, state.prompt, ids, INFERENCE_SCOPE), opts, eos);
}
