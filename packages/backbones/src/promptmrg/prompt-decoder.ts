import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import { causalMask, keyPaddingMask } from '../blocks/multi-head-attention';
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
  /** Prompt tokens per report, one per observation (default the 14 CheXpert observations). */
  readonly prompts?: number;
  /**
   * Also mask report positions holding the padding id 0 as keys (default false: the causal mask
   * alone). DDaTR passes its report attention mask to the decoder; PromptMRG does not.
   */
  readonly maskPadding?: boolean;
  /**
   * Names of the memory projection and of the LM head under the prefix (default `memoryProj` and
   * `head`), so that each backbone keeps the variable names of its checkpoints.
   */
  readonly layerNames?: { readonly memory: string; readonly head: string };
}

/**
 * The report decoder of PromptMRG at test scale: the input is `[s_1 … s_P, BOS, w_1 …]`, where
 * s_c is one of the 4 state tokens `[BLA] [POS] [NEG] [UNC]` (ids `vocabSize + state`, embedded
 * but never predicted) and its position tells which observation it describes; each position
 * cross-attends to the projected visual tokens. Only report positions produce logits, so the
 * prompt is never a target (HF's −100 on the prefix). A causal mask suffices: every position the
 * loss reads sees only real tokens before it. DDaTR and RevTAF decode through the same class.
 */
export class PromptDecoder {
  readonly #embed: WordEmbedding;
  readonly #memoryProj: Linear;
  readonly #decoder: TransformerDecoder;
  readonly #head: Linear;
  readonly #prompts: number;

  /** Creates `<prefix>.{embed, <layerNames.memory>, decoder…, <layerNames.head>}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: PromptDecoderOptions) {
    const { d } = options;
    const names = options.layerNames ?? { memory: 'memoryProj', head: 'head' };
    this.#prompts = options.prompts ?? OBSERVATIONS;
    this.#embed = new WordEmbedding(store, `${prefix}.embed`, options.vocabSize + STATES, d, options.dropout);
    this.#memoryProj = new Linear(store, `${prefix}.${names.memory}`, options.memoryDim, d);
    this.#decoder = new TransformerDecoder(store, `${prefix}.decoder`, { d, heads: options.heads, dFF: options.dFF, layers: options.layers, dropout: options.dropout });
    this.#head = new Linear(store, `${prefix}.${names.head}`, d, options.vocabSize);
  }

  /** Prompt ids `[B, P]` from state ids `[B, P]`. */
  promptIds(states: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.cast(states, 'int32'), this.options.vocabSize) as tf.Tensor2D;
  }

  /** Decoder memory `[B, N, d]` from visual tokens `[B, N, C]`. */
  memory(tokens: tf.Tensor3D): tf.Tensor3D {
    return this.#memoryProj.apply(tokens);
  }

  /**
   * Logits `[B, t, vocabSize]` of the report positions for decoder inputs `[B, t]` (BOS first)
   * after the prompt `[B, P]`.
   */
  decode(memory: tf.Tensor3D, prompt: tf.Tensor2D, inputs: tf.Tensor2D, scope: ForwardScope): tf.Tensor3D {
    const [b, t] = inputs.shape;
    const p = this.#prompts;
    const ids = tf.concat([tf.cast(prompt, 'int32'), tf.cast(inputs, 'int32')], 1) as tf.Tensor2D;
    const hidden = this.#decoder.apply(this.#embed.apply(ids, scope), memory, this.#selfMask(b, p, inputs), undefined, scope);
    return this.#head.apply(tf.slice(hidden, [0, p, 0], [-1, t, -1]) as tf.Tensor3D);
  }

  #selfMask(b: number, p: number, inputs: tf.Tensor2D): tf.Tensor4D {
    const causal = causalMask(p + inputs.shape[1]);
    if (this.options.maskPadding !== true) return causal;
    // Prompt tokens and BOS are always keys; later id-0 positions are padding.
    const keep = tf.concat([tf.ones([b, p + 1]), tf.cast(tf.greater(tf.slice(inputs, [0, 1], [-1, -1]), 0), 'float32')], 1) as tf.Tensor2D;
    return tf.add(keyPaddingMask(keep), causal);
  }
}
