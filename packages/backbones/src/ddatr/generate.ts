import type * as tf from '@tensorflow/tfjs-core';
import { prefixBeamSearch } from '../beam/prefix-beam-search';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import type { PromptDecoder } from './prompt-decoder';

/**
 * Beam search over a {@link PromptDecoder}: each hypothesis carries its decoder memory and its
 * predicted prompt states; every step re-runs the decoder over `[prompts, BOS, prefix]` and reads
 * the last position.
 *
 * @param memory projected visual tokens `[B, N, d]` (not disposed)
 * @param states predicted prompt states `[B, P]` int32 (not disposed)
 */
export function generatePromptedIds(decoder: PromptDecoder, memory: tf.Tensor3D, states: tf.Tensor2D, opts: GenerateOptions, eos: number): number[][] {
  return prefixBeamSearch({ memory, states }, (state, ids) => decoder.logits(state.memory, state.states, ids, INFERENCE_SCOPE), opts, eos);
}
