import type * as tf from '@tensorflow/tfjs-core';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { PromptDecoder as PromptMRGDecoder, type PromptDecoderOptions as PromptMRGDecoderOptions } from '../promptmrg/prompt-decoder';
import { STATES } from '../promptmrg/cls-prompt-branch';

/** The four diagnostic states of a prompt token, in the order of `labels14x4`: blank, positive, negative, uncertain. */
export const PROMPT_STATES = STATES;

/** Sizes of a {@link PromptDecoder}: PromptMRG's, with the prompt count required (DDaTR's classes). */
export interface PromptDecoderOptions extends Omit<PromptMRGDecoderOptions, 'prompts' | 'maskPadding' | 'layerNames'> {
  /** Prompt tokens per report (one per observation). */
  readonly prompts: number;
}

/**
 * DDaTR's report decoder: PromptMRG's diagnosis-driven prompt decoder (DDaTR borrows it), with
 * padded report positions masked as keys and DDaTR's variable names
 * `<prefix>.{embed,memProj,decoder,logit}`.
 */
export class PromptDecoder extends PromptMRGDecoder {
  /** Creates `<prefix>.{embed,memProj,decoder,logit}`. */
  constructor(store: ParameterStore, prefix: string, options: PromptDecoderOptions) {
    super(store, prefix, { ...options, maskPadding: true, layerNames: { memory: 'memProj', head: 'logit' } });
  }

  /**
   * Logits `[B, t, vocabSize]` of the report positions for decoder inputs `[B, t]` (BOS first).
   * @param states prompt states `[B, prompts]` int32 in [0, 4)
   */
  logits(memory: tf.Tensor3D, states: tf.Tensor2D, inputs: tf.Tensor2D, scope: ForwardScope): tf.Tensor3D {
    return this.decode(memory, this.promptIds(states), inputs, scope);
  }
}
