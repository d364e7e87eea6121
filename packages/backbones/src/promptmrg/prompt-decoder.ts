import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import { causalMask } from '../blocks/multi-head-attention';
import { TransformerDecoder } from '../blocks/transformer-decoder';
import { WordEmbedding } from '../blocks/word-embedding';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { OBSERVATIONS, STATES } from './cls-prompt-branch';

/** Sizes of a {@link PromptDecoder}. */
export interface PromptDecoderOptions {
  /** Output classes of the LM head (the tokenizer's `vocabSize`); the 4 state tokens come after them. */
  readonly vocabSize: number;
  /** Width of the visual tokens it cross-attends to. */
  readonly memoryDim: number;
  readonly d: number;
  readonly heads: number;
  readonly dFF: number;
  readonly layers: number;
  readonly dropout: number;
}

/**
 * The report decoder of PromptMRG at test scale: the input is `[s_1 … s_14, BOS, w_1 …]`, where
 * s_c is one of the 4 state tokens `[BLA] [POS] [NEG] [UNC]` (ids `vocabSize + state`, embedded
 * but never predicted), and each position cross-attends to the projected visual tokens. A causal
 * mask suffices: every position the loss reads sees only real tokens before it.
 */
export class PromptDecoder {
  readonly #embed: WordEmbedding;
  readonly #memoryProj: Linear;
  readonly #decoder: TransformerDecoder;
  readonly #head: Linear;

  /** Creates `<prefix>.{embed,memoryProj,layers…,head}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: PromptDecoderOptions) {
    const { d } = options;
    this.#embed = new WordEmbedding(store, `${prefix}.embed`, options.vocabSize + STATES, d, options.dropout);
    this.#memoryProj = new Linear(store, `${prefix}.memoryProj`, options.memoryDim, d);
    this.#decoder = new TransformerDecoder(store, `${prefix}.decoder`, { d, heads: options.heads, dFF: options.dFF, layers: options.layers, dropout: options.dropout });
    this.#head = new Linear(store, `${prefix}.head`, d, options.vocabSize);
  }

  /** Prompt ids `[B, 14]` from state ids `[B, 14]`. */
  promptIds(states: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.cast(states, 'int32'), this.options.vocabSize) as tf.Tensor2D;
  }

  /** Decoder memory `[B, N, d]` from visual tokens `[B, N, C]`. */
  memory(tokens: tf.Tensor3D): tf.Tensor3D {
    return this.#memoryProj.apply(tokens);
  }

  /**
   * Logits `[B, t, vocabSize]` of the report positions for decoder inputs `[B, t]` (BOS first)
   * after the prompt `[B, 14]`.
   */
  decode(memory: tf.Tensor3D, prompt: tf.Tensor2D, inputs: tf.Tensor2D, scope: ForwardScope): tf.Tensor3D {
    const t = inputs.shape[1];
    const ids = tf.concat([tf.cast(prompt, 'int32'), tf.cast(inputs, 'int32')], 1) as tf.Tensor2D;
    const hidden = this.#decoder.apply(this.#embed.apply(ids, scope), memory, causalMask(OBSERVATIONS + t), undefined, scope);
    return this.#head.apply(tf.slice(hidden, [0, OBSERVATIONS, 0], [-1, t, -1]) as tf.Tensor3D);
  }
}
