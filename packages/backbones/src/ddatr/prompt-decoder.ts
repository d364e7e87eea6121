import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import { causalMask, keyPaddingMask } from '../blocks/multi-head-attention';
import { TransformerDecoder } from '../blocks/transformer-decoder';
import { WordEmbedding } from '../blocks/word-embedding';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';

/** The four diagnostic states of a prompt token, in the order of `labels14x4`: blank, positive, negative, uncertain. */
export const PROMPT_STATES = 4;

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
 * PromptMRG's diagnosis-driven prompt decoder at test scale: the decoder input is
 * `[s₁ … s_P, BOS, w₁ …]`, where `s_j` is one of four state tokens ([BLA] [POS] [NEG] [UNC], extra
 * rows of the word-embedding table) and the position tells which observation it describes; the
 * decoder cross-attends to the projected visual tokens. Only report positions produce logits, so
 * the prompt is never a target (HF's −100 on the prefix).
 */
export class PromptDecoder {
  readonly #embed: WordEmbedding;
  readonly #memProj: Linear;
  readonly #decoder: TransformerDecoder;
  readonly #logit: Linear;

  /** Creates `<prefix>.{embed,memProj,decoder,logit}`. */
  constructor(store: ParameterStore, prefix: string, readonly options: PromptDecoderOptions) {
    const o = options;
    this.#embed = new WordEmbedding(store, `${prefix}.embed`, o.vocabSize + PROMPT_STATES, o.d, o.dropout);
    this.#memProj = new Linear(store, `${prefix}.memProj`, o.memoryDim, o.d);
    this.#decoder = new TransformerDecoder(store, `${prefix}.decoder`, { layers: o.layers, d: o.d, heads: o.heads, dFF: o.dFF, dropout: o.dropout });
    this.#logit = new Linear(store, `${prefix}.logit`, o.d, o.vocabSize);
  }

  /** Visual tokens `[B, N, memoryDim]` → decoder memory `[B, N, d]`. */
  memory(tokens: tf.Tensor3D): tf.Tensor3D {
    return this.#memProj.apply(tokens);
  }

  /**
   * Logits `[B, t, vocabSize]` of the report positions for decoder inputs `[B, t]` (BOS first).
   * @param states prompt states `[B, prompts]` int32 in [0, 4)
   */
  logits(memory: tf.Tensor3D, states: tf.Tensor2D, inputs: tf.Tensor2D, scope: ForwardScope): tf.Tensor3D {
    const [b, t] = inputs.shape;
    const p = this.options.prompts;
    const ids = tf.concat([tf.add(tf.cast(states, 'int32'), tf.scalar(this.options.vocabSize, 'int32')), inputs], 1) as tf.Tensor2D;
    // Prompt tokens and BOS are always keys; later id-0 positions are padding.
    const keep = tf.concat([tf.ones([b, p + 1]), tf.cast(tf.greater(tf.slice(inputs, [0, 1], [-1, -1]), 0), 'float32')], 1) as tf.Tensor2D;
    const selfMask = tf.add(keyPaddingMask(keep), causalMask(p + t));
    const out = this.#decoder.apply(this.#embed.apply(ids, scope), memory, selfMask, undefined, scope);
    return this.#logit.apply(tf.slice(out, [0, p, 0], [-1, -1, -1]) as tf.Tensor3D);
  }
}
