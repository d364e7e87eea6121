import * as tf from '@tensorflow/tfjs-core';
import { createVisualExtractor } from '../blocks/create-visual-extractor';
import { Linear } from '../blocks/linear';
import { causalMask, keyPaddingMask } from '../blocks/multi-head-attention';
import { stopGradient } from '../blocks/stop-gradient';
import { TransformerDecoder } from '../blocks/transformer-decoder';
import { TransformerEncoder } from '../blocks/transformer-encoder';
import type { VisualExtractor } from '../blocks/visual-extractor';
import { WordEmbedding } from '../blocks/word-embedding';
import { dropout, type ForwardScope } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import type { XProNetConfig } from './config';
import { PrototypeMemory } from './prototype-memory';

/** Prefixes of the visual extractor (its own optimizer group). */
export const VISUAL_PREFIXES = ['visual'] as const;
/** Prefixes reached by `lm` and at least one prototype loss. */
export const SHARED_PREFIXES = ['attEmbed', 'prototypes', 'dimReduction', 'memory', 'embed'] as const;
/** Prefixes reached by `lm` only: fusion, encoder, decoder, `logit` (the prototype losses read the responses before them). */
export const LM_PREFIXES = ['fuse', 'encoder', 'decoder', 'logit'] as const;
/** Prefixes of the label classifier (`cls`). */
export const CLS_PREFIXES = ['clsHead'] as const;

/** Image side of a pass. */
export interface ImageSide {
  /** Prototype responses to the visual tokens `[B, N, d]` (`proto_img` pools them). */
  readonly response: tf.Tensor3D;
  /** The fused visual tokens `[B, N, d]` the encoder reads. */
  readonly fused: tf.Tensor3D;
}

/** Text side of a pass. */
export interface TextSide {
  /** Prototype responses to the embedded words `[B, T, d]` (`proto_txt` pools them). */
  readonly response: tf.Tensor3D;
  /** The fused embeddings `[B, T, d]` the decoder reads. */
  readonly fused: tf.Tensor3D;
  /** Key mask of the inputs `[B, T]` (BOS always on). */
  readonly keep: tf.Tensor2D;
}

/**
 * XProNet (Wang, Bhalerao, He, ECCV 2022) at test scale, on R2GenCMN: visual extractor →
 * `att_embed`; a shared matrix of 14 × m cross-modal **prototypes** (image half + text half),
 * reduced to d by `dim_reduction`; per study, the prototypes of its labels are queried with top-k
 * attention by the visual tokens and by the word embeddings, and each response is **fused by
 * concatenation + Linear** (`fuse_feature`) before the encoder and the decoder (standard
 * LayerNorm, no relational memory). A 14-way classifier on the pooled visual feature predicts the
 * labels that select prototypes at generation.
 */
export class XProNetModel {
  readonly store: ParameterStore;
  readonly visual: VisualExtractor;
  readonly prototypes: tf.Variable;
  readonly #attEmbed: Linear;
  readonly #dimReduction: Linear;
  readonly #memory: PrototypeMemory;
  readonly #fuse: Linear;
  readonly #encoder: TransformerEncoder;
  readonly #embed: WordEmbedding;
  readonly #decoder: TransformerDecoder;
  readonly #logit: Linear;
  readonly #cls: Linear;

  /** Creates every variable from `config.seed`. */
  constructor(readonly config: XProNetConfig, vocabSize: number) {
    const c = config;
    this.store = new ParameterStore(c.seed);
    this.visual = createVisualExtractor(this.store, 'visual', c.visual, { channels: c.channels, imageSize: c.imageSize, dropout: c.dropout });
    const protoDim = this.visual.outDim + c.prototypeTextDim;
    this.#attEmbed = new Linear(this.store, 'attEmbed', this.visual.outDim, c.dModel);
    // Until `prepare` writes the text halves, the prototypes are N(0, 1/width) like R2GenCMN's memory.
    this.prototypes = this.store.add('prototypes', [c.numClasses * c.prototypesPerClass, protoDim], { kind: 'normal', std: 1 / Math.sqrt(protoDim) });
    this.#dimReduction = new Linear(this.store, 'dimReduction', protoDim, c.dModel);
    this.#memory = new PrototypeMemory(this.store, 'memory', { d: c.dModel, heads: c.heads, topk: c.topk, dropout: c.dropout });
    this.#fuse = new Linear(this.store, 'fuse', 2 * c.dModel, c.dModel);
    const sizes = { d: c.dModel, heads: c.heads, dFF: c.dFF, dropout: c.dropout };
    this.#encoder = new TransformerEncoder(this.store, 'encoder', { ...sizes, layers: c.encoderLayers });
    this.#embed = new WordEmbedding(this.store, 'embed', vocabSize, c.dModel, c.dropout);
    this.#decoder = new TransformerDecoder(this.store, 'decoder', { ...sizes, layers: c.decoderLayers });
    this.#logit = new Linear(this.store, 'logit', c.dModel, vocabSize);
    this.#cls = new Linear(this.store, 'clsHead', this.visual.outDim, c.numClasses);
  }

  /**
   * `[B, classes·m]` row mask of the prototypes a study reads: those of its positive labels, or
   * every prototype when it has none (a study with no positive label would otherwise read nothing).
   */
  prototypeMask(labels: tf.Tensor2D): tf.Tensor2D {
    const [b, classes] = labels.shape;
    const m = this.config.prototypesPerClass;
    const positive = tf.cast(tf.greater(labels, 0.5), 'float32');
    const rows = tf.reshape(tf.tile(tf.expandDims(positive, 2), [1, 1, m]), [b, classes * m]);
    const any = tf.greater(tf.sum(positive, 1, true), 0);
    return tf.where(tf.tile(any, [1, classes * m]), rows, tf.onesLike(rows)) as tf.Tensor2D;
  }

  #rows(): tf.Tensor2D {
    return this.#dimReduction.apply(this.prototypes as tf.Tensor2D);
  }

  /** Visual tokens `[B, N, C]` → prototype responses and fused tokens. */
  imageSide(tokens: tf.Tensor3D, mask: tf.Tensor2D, scope: ForwardScope): ImageSide {
    const x = dropout(tf.relu(this.#attEmbed.apply(tokens)), this.config.attEmbedDropout, 'attEmbed.dropout', scope);
    const response = this.#memory.apply(x, this.#rows(), mask, scope, '.img');
    return { response, fused: this.#fuse.apply(tf.concat([x, response], 2) as tf.Tensor3D) };
  }

  /** Encoder output `[B, N, d]` from fused tokens. */
  encode(fused: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    return this.#encoder.apply(fused, undefined, scope);
  }

  /** Decoder inputs `[B, T]` → prototype responses and fused embeddings. */
  textSide(inputs: tf.Tensor2D, mask: tf.Tensor2D, scope: ForwardScope): TextSide {
    const nonPad = tf.cast(tf.greater(inputs, 0), 'float32');
    const keep = tf.concat([tf.onesLike(tf.slice(nonPad, [0, 0], [-1, 1])), tf.slice(nonPad, [0, 1], [-1, -1])], 1) as tf.Tensor2D;
    const e = this.#embed.apply(inputs, scope);
    const response = this.#memory.apply(e, this.#rows(), mask, scope, '.txt');
    return { response, fused: this.#fuse.apply(tf.concat([e, response], 2) as tf.Tensor3D), keep };
  }

  /** Logits `[B, T, V+1]` of the decoder over fused embeddings. */
  decode(memory: tf.Tensor3D, text: TextSide, scope: ForwardScope): tf.Tensor3D {
    const selfMask = tf.add(keyPaddingMask(text.keep), causalMask(text.keep.shape[1]));
    return this.#logit.apply(this.#decoder.apply(text.fused, memory, selfMask, undefined, scope));
  }

  /** Label logits `[B, classes]` from the pooled visual feature (detached when `clsDetached`). */
  classify(pooled: tf.Tensor2D): tf.Tensor2D {
    return this.#cls.apply(this.config.clsDetached ? stopGradient(pooled) : pooled);
  }
}
