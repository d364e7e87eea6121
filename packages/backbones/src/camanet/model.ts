import * as tf from '@tensorflow/tfjs-core';
import { DenseNetExtractor } from '../blocks/densenet-extractor';
import { LayerNorm } from '../blocks/layer-norm';
import { Linear } from '../blocks/linear';
import { causalMask, keyPaddingMask } from '../blocks/multi-head-attention';
import { RelationalMemory } from '../blocks/relational-memory';
import { TransformerEncoder } from '../blocks/transformer-encoder';
import type { VisualFeatures } from '../blocks/visual-extractor';
import { WordEmbedding } from '../blocks/word-embedding';
import { dropout, type ForwardScope } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import type { CamanetConfig } from './config';
import { foregroundMap } from './foreground-map';
import { ProbedDecoder, type ProbedDecoderOutput } from './probed-decoder';

/** Prefixes of the multi-label head (task `bce` only). */
export const HEAD_PREFIXES = ['head'] as const;
/** Prefixes of the DenseNet stand-in. */
export const VISUAL_PREFIXES = ['visual'] as const;

/** What the encoder makes of a batch of images. */
export interface CamanetEncoding {
  /** Encoder output over `[fore token, patches…]`, `[B, 1 + N, d]`. */
  readonly encoded: tf.Tensor3D;
  /** The constant foreground map, `[B, N]`. */
  readonly foreMap: tf.Tensor2D;
}

/** Teacher-forced decoder pass. */
export interface CamanetDecoding extends ProbedDecoderOutput {
  /** Embedded decoder inputs (`target_embed`), `[B, T, d]`. */
  readonly embedded: tf.Tensor3D;
}

/**
 * CAMANet (Wang et al., IEEE JBHI 2024) at test scale: DenseNet-style patches → a 14-way head on
 * the pooled feature → class activation maps of the predicted-positive classes (no gradient) → a
 * foreground token `LN(fore_map · patches)` prepended to the patches → `att_embed` → R2Gen encoder;
 * the R2Gen decoder (relational memory + MCLN) cross-attends to the encoded patches only, and
 * exposes one layer's cross-attention for the attention-consistency loss.
 */
export class CamanetModel {
  readonly store: ParameterStore;
  readonly visual: DenseNetExtractor;
  readonly head: Linear;
  readonly #foreNorm: LayerNorm;
  readonly #attEmbed: Linear;
  readonly #encoder: TransformerEncoder;
  readonly embed: WordEmbedding;
  readonly #rm: RelationalMemory;
  readonly decoder: ProbedDecoder;
  readonly logit: Linear;
  /** The decoder layer whose cross-attention VTAC reads (`attnLayer` clamped to the depth). */
  readonly probeLayer: number;

  /** Creates every variable from `config.seed`. */
  constructor(readonly config: CamanetConfig, vocabSize: number) {
    const c = config;
    this.store = new ParameterStore(c.seed);
    this.visual = new DenseNetExtractor(this.store, 'visual', { inChannels: c.channels, stem: c.visual.stem, blocks: c.visual.blocks, growth: c.visual.growth });
    const width = this.visual.outDim;
    this.head = new Linear(this.store, 'head', width, c.numLabels);
    this.#foreNorm = new LayerNorm(this.store, 'foreNorm', width);
    this.#attEmbed = new Linear(this.store, 'attEmbed', width, c.dModel);
    const sizes = { d: c.dModel, heads: c.heads, dFF: c.dFF, dropout: c.dropout };
    this.#encoder = new TransformerEncoder(this.store, 'encoder', { ...sizes, layers: c.encoderLayers });
    this.embed = new WordEmbedding(this.store, 'embed', vocabSize, c.dModel, c.dropout);
    this.#rm = new RelationalMemory(this.store, 'rm', { slots: c.rmSlots, d: c.dModel, heads: c.rmHeads, dropout: c.dropout });
    this.probeLayer = Math.min(c.attnLayer, c.decoderLayers - 1);
    this.decoder = new ProbedDecoder(this.store, 'decoder', { ...sizes, layers: c.decoderLayers, conditionDim: c.rmSlots * c.dModel, probeLayer: this.probeLayer });
    this.logit = new Linear(this.store, 'logit', c.dModel, vocabSize);
  }

  /** Patch tokens `[B, V·N, C]` and the pooled feature `[B, C]` (the mean over views and patches). */
  features(images: tf.Tensor5D, scope: ForwardScope): VisualFeatures {
    return this.visual.apply(images, scope);
  }

  /** Multi-label logits `[B, 14]`. */
  classify(pooled: tf.Tensor2D): tf.Tensor2D {
    return this.head.apply(pooled);
  }

  /**
   * The foreground map from the head's predictions (never from labels) and the encoder output over
   * the foreground token and the patches.
   */
  encode(features: VisualFeatures, scope: ForwardScope): CamanetEncoding {
    const { tokens, pooled } = features;
    const [b, n] = tokens.shape;
    const foreMap = foregroundMap(tokens, this.head.weight as tf.Tensor2D, this.classify(pooled));
    const foreRep = this.#foreNorm.apply(tf.matMul(tf.reshape(foreMap, [b, 1, n]), tokens));
    const all = tf.concat([foreRep, tokens], 1) as tf.Tensor3D;
    const embedded = dropout(tf.relu(this.#attEmbed.apply(all)), this.config.attEmbedDropout, 'attEmbed.dropout', scope);
    const encoded = this.#encoder.apply(embedded, undefined, scope);
    return { encoded, foreMap };
  }

  /** The encoded patch tokens the decoder attends to (the foreground token is left out, as in CAMANet). */
  static patchMemory(encoded: tf.Tensor3D): tf.Tensor3D {
    return tf.slice(encoded, [0, 1, 0], [-1, -1, -1]);
  }

  /**
   * Teacher-forced decoder over inputs `[B, T]`; padding keys after position 0 are masked (R2Gen).
   * With `stopAtProbe` the pass ends at the probed layer's cross-attention.
   */
  decode(memory: tf.Tensor3D, inputs: tf.Tensor2D, scope: ForwardScope, stopAtProbe = false): CamanetDecoding {
    const t = inputs.shape[1];
    const keep = tf.cast(tf.greater(inputs, 0), 'float32');
    const firstOn = tf.concat([tf.onesLike(tf.slice(keep, [0, 0], [-1, 1])), tf.slice(keep, [0, 1], [-1, -1])], 1) as tf.Tensor2D;
    const selfMask = tf.add(keyPaddingMask(firstOn), causalMask(t));
    const embedded = this.embed.apply(inputs, scope);
    const states = this.#rm.apply(embedded, scope);
    return { ...this.decoder.apply(embedded, memory, selfMask, states, scope, stopAtProbe), embedded };
  }
}
