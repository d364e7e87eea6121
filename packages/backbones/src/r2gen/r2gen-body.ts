import * as tf from '@tensorflow/tfjs-core';
import { createVisualExtractor } from '../blocks/create-visual-extractor';
import { Linear } from '../blocks/linear';
import { causalMask, keyPaddingMask } from '../blocks/multi-head-attention';
import { RelationalMemory } from '../blocks/relational-memory';
import { TransformerDecoder } from '../blocks/transformer-decoder';
import { TransformerEncoder } from '../blocks/transformer-encoder';
import type { VisualExtractor } from '../blocks/visual-extractor';
import { WordEmbedding } from '../blocks/word-embedding';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import type { R2GenConfig } from './config';

/** The sizes of R2Gen's body: the fields of {@link R2GenConfig} it reads. */
export type R2GenBodySizes = Pick<
  R2GenConfig,
  'visual' | 'channels' | 'imageSize' | 'dropout' | 'attEmbedDropout' | 'dModel' | 'heads' | 'dFF' | 'encoderLayers' | 'decoderLayers' | 'rmSlots' | 'rmHeads'
>;

/**
 * R2Gen's body without any task head: visual extractor → `att_embed` (Linear + ReLU + dropout) →
 * pre-LN encoder; word embeddings drive the relational memory, whose states condition every
 * decoder LayerNorm (MCLN); `logit` maps decoder states to V + 1 classes. R2Gen adds its cls head
 * after it and WCL its projections, so both keep R2Gen's variable names and creation order.
 */
export class R2GenBody {
  readonly visual: VisualExtractor;
  readonly #attEmbed: Linear;
  readonly #encoder: TransformerEncoder;
  /** The word embedding `embed`. */
  readonly embed: WordEmbedding;
  /** The relational memory `rm`. */
  readonly rm: RelationalMemory;
  /** The MCLN decoder `decoder`. */
  readonly decoder: TransformerDecoder;
  /** The output layer `logit`. */
  readonly logit: Linear;

  /** Creates `visual`, `attEmbed`, `encoder`, `embed`, `rm`, `decoder` and `logit`, in that order. */
  constructor(store: ParameterStore, readonly sizes: R2GenBodySizes, vocabSize: number) {
    const c = sizes;
    this.visual = createVisualExtractor(store, 'visual', c.visual, { channels: c.channels, imageSize: c.imageSize, dropout: c.dropout });
    this.#attEmbed = new Linear(store, 'attEmbed', this.visual.outDim, c.dModel);
    const layer = { d: c.dModel, heads: c.heads, dFF: c.dFF, dropout: c.dropout };
    this.#encoder = new TransformerEncoder(store, 'encoder', { ...layer, layers: c.encoderLayers });
    this.embed = new WordEmbedding(store, 'embed', vocabSize, c.dModel, c.dropout);
    this.rm = new RelationalMemory(store, 'rm', { slots: c.rmSlots, d: c.dModel, heads: c.rmHeads, dropout: c.dropout });
    this.decoder = new TransformerDecoder(store, 'decoder', { ...layer, layers: c.decoderLayers, conditionDim: c.rmSlots * c.dModel });
    this.logit = new Linear(store, 'logit', c.dModel, vocabSize);
  }

  /** Encoder output `[B, N, d]` from visual tokens `[B, N, C]`. */
  encode(tokens: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    const embedded = dropout(tf.relu(this.#attEmbed.apply(tokens)), this.sizes.attEmbedDropout, 'attEmbed.dropout', scope);
    return this.#encoder.apply(embedded, undefined, scope);
  }

  /**
   * Word embeddings `[B, T, d]` of decoder inputs `[B, T]` and the relational-memory states they
   * drive. R2Gen embeds the targets once for the memory and once for the decoder; the dropout
   * masks are keyed by site, so one embedding gives the same values.
   */
  conditionedInputs(inputs: tf.Tensor2D, scope: ForwardScope): { embedded: tf.Tensor3D; states: tf.Tensor3D } {
    const embedded = this.embed.apply(inputs, scope);
    return { embedded, states: this.rm.apply(embedded, scope) };
  }
}

/**
 * 1 over the decoder input positions `[B, T]` that are keys: every non-padding id, and position 0
 * (BOS, id 0) always, as in R2Gen's `seq_mask[:, 0] += True`.
 */
export function decoderKeyMask(inputs: tf.Tensor2D): tf.Tensor2D {
  const keep = tf.cast(tf.greater(inputs, 0), 'float32');
  return tf.concat([tf.onesLike(tf.slice(keep, [0, 0], [-1, 1])), tf.slice(keep, [0, 1], [-1, -1])], 1) as tf.Tensor2D;
}

/**
 * Self-attention mask of decoder inputs from their key mask `[B, T]`: causal, and padding keys
 * masked, as in R2Gen's `_prepare_feature_forward`.
 */
export function decoderSelfMask(keep: tf.Tensor2D): tf.Tensor4D {
  return tf.add(keyPaddingMask(keep), causalMask(keep.shape[1]));
}
