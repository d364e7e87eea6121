import * as tf from '@tensorflow/tfjs-core';
import { createVisualExtractor } from '../blocks/create-visual-extractor';
import { Linear } from '../blocks/linear';
import { causalMask, keyPaddingMask } from '../blocks/multi-head-attention';
import { RelationalMemory } from '../blocks/relational-memory';
import { TransformerDecoder } from '../blocks/transformer-decoder';
import { TransformerEncoder } from '../blocks/transformer-encoder';
import type { VisualExtractor } from '../blocks/visual-extractor';
import { WordEmbedding } from '../blocks/word-embedding';
import { dropout, INFERENCE_SCOPE, type ForwardScope } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import type { R2GenConfig } from './config';

/** Parameter-name prefixes of the visual extractor (shared when the cls head is on). */
export const VISUAL_PREFIXES = ['visual'] as const;
/** Prefixes reached by the LM loss only. */
export const LM_PREFIXES = ['attEmbed', 'encoder', 'embed', 'rm', 'decoder', 'logit'] as const;
/** Prefixes reached by the cls loss only. */
export const CLS_PREFIXES = ['clsHead'] as const;

/**
 * R2Gen (Chen et al., EMNLP 2020) at test scale: visual extractor → `att_embed` (Linear + ReLU +
 * dropout) → pre-LN encoder; word embeddings drive the relational memory, whose states condition
 * every decoder LayerNorm (MCLN); `logit` maps the decoder output to V + 1 classes. With
 * `clsHead`, a Linear(C → 14) on the pooled visual feature adds the multi-label task.
 */
export class R2GenModel {
  readonly store: ParameterStore;
  readonly visual: VisualExtractor;
  readonly #attEmbed: Linear;
  readonly #encoder: TransformerEncoder;
  readonly #embed: WordEmbedding;
  readonly #rm: RelationalMemory;
  readonly #decoder: TransformerDecoder;
  readonly #logit: Linear;
  readonly clsHead: Linear | undefined;

  /** Creates every variable from `config.seed`. */
  constructor(readonly config: R2GenConfig, vocabSize: number) {
    const c = config;
    this.store = new ParameterStore(c.seed);
    this.visual = createVisualExtractor(this.store, 'visual', c.visual, { channels: c.channels, imageSize: c.imageSize, dropout: c.dropout });
    this.#attEmbed = new Linear(this.store, 'attEmbed', this.visual.outDim, c.dModel);
    const sizes = { d: c.dModel, heads: c.heads, dFF: c.dFF, dropout: c.dropout };
    this.#encoder = new TransformerEncoder(this.store, 'encoder', { ...sizes, layers: c.encoderLayers });
    this.#embed = new WordEmbedding(this.store, 'embed', vocabSize, c.dModel, c.dropout);
    this.#rm = new RelationalMemory(this.store, 'rm', { slots: c.rmSlots, d: c.dModel, heads: c.rmHeads, dropout: c.dropout });
    this.#decoder = new TransformerDecoder(this.store, 'decoder', { ...sizes, layers: c.decoderLayers, conditionDim: c.rmSlots * c.dModel });
    this.#logit = new Linear(this.store, 'logit', c.dModel, vocabSize);
    this.clsHead = c.clsHead ? new Linear(this.store, 'clsHead', this.visual.outDim, c.numLabels) : undefined;
  }

  /** Encoder output `[B, N, d]` from visual tokens `[B, N, C]`. */
  encode(tokens: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    const embedded = dropout(tf.relu(this.#attEmbed.apply(tokens)), this.config.attEmbedDropout, 'attEmbed.dropout', scope);
    return this.#encoder.apply(embedded, undefined, scope);
  }

  /** Logits `[B, T, V + 1]` for decoder inputs `[B, T]` (teacher forcing). */
  decode(memory: tf.Tensor3D, inputs: tf.Tensor2D, scope: ForwardScope): tf.Tensor3D {
    // R2Gen embeds the targets once for the memory and once for the decoder; the masks are keyed
    // by site, so one embedding gives the same values.
    const embedded = this.#embed.apply(inputs, scope);
    const states = this.#rm.apply(embedded, scope);
    const out = this.#decoder.apply(embedded, memory, selfMask(inputs), undefined, scope, states);
    return this.#logit.apply(out);
  }

  /**
   * One incremental decoding step (inference): the relational memory advances by the last input
   * only, instead of re-running over the whole prefix, and the decoder runs over the prefix with the
   * stored memory states. Equal to the last position of {@link R2GenModel.decode}.
   * @param inputs `[rows, t + 1]`: BOS and the prefix
   * @param rm memory state after inputs `0 … t − 1` (`rm.initialState` when t = 0)
   * @param history the flattened states of positions `0 … t − 1`, `[rows, t, slots·d]`, or undefined when t = 0
   */
  decodeStep(memory: tf.Tensor3D, inputs: tf.Tensor2D, rm: tf.Tensor3D, history: tf.Tensor3D | undefined): { logits: tf.Tensor2D; rm: tf.Tensor3D; history: tf.Tensor3D } {
    const [rows, len] = inputs.shape;
    const embedded = this.#embed.apply(inputs, INFERENCE_SCOPE);
    const last = tf.reshape(tf.slice(embedded, [0, len - 1, 0], [-1, 1, -1]), [rows, this.config.dModel]) as tf.Tensor2D;
    const next = this.#rm.step(rm, last, INFERENCE_SCOPE, len - 1);
    const flat = tf.reshape(next, [rows, 1, -1]) as tf.Tensor3D;
    const states = history === undefined ? flat : tf.concat([history, flat], 1);
    const out = this.#decoder.apply(embedded, memory, selfMask(inputs), undefined, INFERENCE_SCOPE, states);
    const logits = this.#logit.apply(tf.reshape(tf.slice(out, [0, len - 1, 0], [-1, 1, -1]), [rows, this.config.dModel]) as tf.Tensor2D);
    return { logits, rm: next, history: states };
  }

  /** The relational memory's initial state for `rows` hypotheses. */
  initialMemoryState(rows: number): tf.Tensor3D {
    return this.#rm.initialState(rows);
  }

  /** Multi-label logits `[B, numLabels]` from the pooled visual feature. */
  classify(pooled: tf.Tensor2D): tf.Tensor2D {
    if (this.clsHead === undefined) throw new Error('came-grad internal invariant violated: classify without a cls head');
    return this.clsHead.apply(pooled);
  }
}

/**
 * Self-attention mask of decoder inputs `[B, T]`: causal, and keys that are padding (id 0 after
 * position 0) masked, as in R2Gen's `_prepare_feature_forward`.
 */
function selfMask(inputs: tf.Tensor2D): tf.Tensor {
  const keep = tf.cast(tf.greater(inputs, 0), 'float32');
  const firstOn = tf.concat([tf.onesLike(tf.slice(keep, [0, 0], [-1, 1])), tf.slice(keep, [0, 1], [-1, -1])], 1) as tf.Tensor2D;
  return tf.add(keyPaddingMask(firstOn), causalMask(inputs.shape[1]));
}
