import type * as tf from '@tensorflow/tfjs-core';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { PromptDecoder as PromptMRGDecoder } from '../promptmrg/prompt-decoder';
import { STATES } from '../promptmrg/cls-prompt-branch';

/** The four diagnostic states of a prompt token, in the order of `labels14x4`: blank, positive, negative, uncertain. */
export const PROMPT_STATES = STATES;

/** Sizes of a {@link PromptDecoder}. */
export interface PromptDecoderOptions {
  /** LM output classes (words + the shared BOS/EOS/PAD id 0). */
  readonly vocabSize: number;
  /** Prompt tokens per report (one per observation). */
  readonly prompts: number;
  /** Width of the visual memory before projection. */
  readonly memoryDim: number;
  readonly d: number;
  readonly heads: number;
  readonly dFF: number;
  readonly layers: number;
  readonly dropout: number;
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
