import * as tf from '@tensorflow/tfjs-core';
import { FeedForward } from '../blocks/feed-forward';
import { LayerNorm } from '../blocks/layer-norm';
import { Linear } from '../blocks/linear';
import { causalMask, keyPaddingMask } from '../blocks/multi-head-attention';
import { ResNetExtractor } from '../blocks/resnet-extractor';
import { TransformerEncoder } from '../blocks/transformer-encoder';
import { WordEmbedding } from '../blocks/word-embedding';
import { dropout, type ForwardScope } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import { TOPICS, type TgrgConfig } from './config';
import { GaussianTopics } from './gaussian-topics';
import { NodeEncoder, TopicDecoder, type TopicMemories } from './topic-decoder';
import { gatherTopicRows, type TopicSelection } from './topic-selection';

/** Parameters reached by `lm` only: the decoder's word embeddings, the word/topic fusion MLP and the LM head. */
export const LM_PREFIXES = ['embed', 'fuse', 'logit'] as const;
/** Parameters reached by `bow` only: the planning head `logit1`. */
export const BOW_PREFIXES = ['bowLogit'] as const;
/** Parameters reached by `topic` only: the topic variances (topic selection detaches its weights). */
export const TOPIC_PREFIXES = ['topics.sigma'] as const;
/** The ResNet stand-in. */
export const VISUAL_PREFIXES = ['visual'] as const;

/** Image-side encodings of a batch. */
export interface ImageEncoding {
  /** `att_embed` output over `[pooled, patches…]`, `[B, 1 + N, d]` (the node encoder reads its patches). */
  readonly embedded: tf.Tensor3D;
  /** Image encoder output, `[B, 1 + N, d]`; token 0 gives θ_img, tokens 1… are the decoder's patches. */
  readonly encoded: tf.Tensor3D;
}

/** `norm(x + dropout(FFN(x)))`: TGRG's `Linear1` / `Linear2` global-vector heads. */
class GlobalHead {
  readonly #ff: FeedForward;
  readonly #norm: LayerNorm;
  constructor(store: ParameterStore, readonly prefix: string, d: number, dFF: number, readonly rate: number) {
    this.#ff = new FeedForward(store, `${prefix}.ff`, d, dFF, rate);
    this.#norm = new LayerNorm(store, `${prefix}.norm`, d);
  }
  apply(x: tf.Tensor2D, scope: ForwardScope): tf.Tensor2D {
    return this.#norm.apply(tf.add(x, dropout(this.#ff.apply(x, scope), this.rate, `${this.prefix}.dropout`, scope)));
  }
}

/** 1 on non-padding inputs with position 0 (BOS) always on. */
export function inputMask(inputs: tf.Tensor2D): tf.Tensor2D {
  const keep = tf.cast(tf.greater(inputs, 0), 'float32');
  return tf.concat([tf.onesLike(tf.slice(keep, [0, 0], [-1, 1])), tf.slice(keep, [0, 1], [-1, -1])], 1) as tf.Tensor2D;
}

/**
 * TGRG (Huang et al., MedIA 2025) at test scale: ResNet stand-in → `att_embed` over
 * `[pooled, patches]` → image encoder; θ_img = Linear1(token 0); a report text encoder gives
 * θ_txt (masked mean, training only); a 28-topic Gaussian model; the top-k topics give a mixture of
 * topic means fused into every word embedding, and select per-topic n-gram rows and
 * knowledge-graph nodes (learned tables; the nodes attend to the patches); a four-attention decoder
 * whose position 0 is the global vector Linear2(θ); `logit` (LM) and `bowLogit` (TGRG `logit1`,
 * the bag-of-words plan read at position 0).
 */
export class TgrgModel {
  readonly store: ParameterStore;
  readonly visual: ResNetExtractor;
  readonly #attEmbed: Linear;
  readonly #encoder: TransformerEncoder;
  readonly #imageGlobal: GlobalHead;
  readonly #textEmbed: WordEmbedding;
  readonly #textEncoder: TransformerEncoder;
  readonly #textGlobal: GlobalHead;
  readonly topics: GaussianTopics;
  readonly textSigma: tf.Variable;
  readonly imageSigma: tf.Variable;
  readonly #grams: tf.Variable;
  readonly #nodes: tf.Variable;
  readonly #nodeEncoder: NodeEncoder;
  readonly #embed: WordEmbedding;
  readonly #fuse: { l1: Linear; n1: LayerNorm; l2: Linear; n2: LayerNorm };
  readonly #decoder: TopicDecoder;
  readonly logit: Linear;
  readonly bowLogit: Linear;

  /** Creates every variable from `config.seed`. */
  constructor(readonly config: TgrgConfig, vocabSize: number) {
    const c = config;
    const d = c.dModel;
    const s = (this.store = new ParameterStore(c.seed));
    this.visual = new ResNetExtractor(s, 'visual', { inChannels: c.channels, channels: c.visual.channels });
    this.#attEmbed = new Linear(s, 'attEmbed', this.visual.outDim, d);
    const sizes = { d, heads: c.heads, dFF: c.dFF, dropout: c.dropout };
    this.#encoder = new TransformerEncoder(s, 'encoder', { ...sizes, layers: c.encoderLayers });
    this.#imageGlobal = new GlobalHead(s, 'imageGlobal', d, c.dFF, c.dropout);
    this.#textEmbed = new WordEmbedding(s, 'textEmbed', vocabSize, d, c.dropout);
    this.#textEncoder = new TransformerEncoder(s, 'textEncoder', { ...sizes, layers: c.encoderLayers });
    this.#textGlobal = new GlobalHead(s, 'textGlobal', d, c.dFF, c.dropout);
    this.topics = new GaussianTopics(s, 'topics', d);
    this.textSigma = s.add('sigma.text', [d], { kind: 'ones' });
    this.imageSigma = s.add('sigma.image', [d], { kind: 'ones' });
    this.#grams = s.add('grams.table', [TOPICS * c.gramSlots, d], { kind: 'normal', std: 1 });
    this.#nodes = s.add('nodes.table', [TOPICS * c.nodeSlots, d], { kind: 'normal', std: 1 });
    this.#nodeEncoder = new NodeEncoder(s, 'nodeEncoder', { ...sizes, layers: c.decoderLayers });
    this.#embed = new WordEmbedding(s, 'embed', vocabSize, d, c.dropout);
    this.#fuse = { l1: new Linear(s, 'fuse.0', 2 * d, 4 * d), n1: new LayerNorm(s, 'fuse.2', 4 * d), l2: new Linear(s, 'fuse.3', 4 * d, d), n2: new LayerNorm(s, 'fuse.5', d) };
    this.#decoder = new TopicDecoder(s, 'decoder', { ...sizes, layers: c.decoderLayers });
    this.logit = new Linear(s, 'logit', d, vocabSize);
    this.bowLogit = new Linear(s, 'bowLogit', d, vocabSize);
  }

  /** The image encoder over the pooled feature (token 0) and the patches. */
  encodeImage(images: tf.Tensor5D, scope: ForwardScope): ImageEncoding {
    const { tokens, pooled } = this.visual.apply(images, scope);
    const all = tf.concat([tf.expandDims(pooled, 1), tokens], 1) as tf.Tensor3D;
    const embedded = dropout(tf.relu(this.#attEmbed.apply(all)), this.config.attEmbedDropout, 'attEmbed.dropout', scope);
    return { embedded, encoded: this.#encoder.apply(embedded, undefined, scope) };
  }

  /** θ_img = Linear1(encoded token 0), `[B, d]`. */
  imageTheta(encoded: tf.Tensor3D, scope: ForwardScope): tf.Tensor2D {
    return this.#imageGlobal.apply(tf.squeeze(tf.slice(encoded, [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D, scope);
  }

  /** θ_txt: the masked mean of the report text encoder over the decoder inputs `[B, T]`, `[B, d]`. */
  textTheta(inputs: tf.Tensor2D, scope: ForwardScope): tf.Tensor2D {
    const mask = inputMask(inputs);
    const h = this.#textEncoder.apply(this.#textEmbed.apply(inputs, scope), keyPaddingMask(mask), scope);
    const weights = tf.div(mask, tf.sum(mask, 1, true));
    return tf.sum(tf.mul(h, tf.expandDims(weights, 2)), 1) as tf.Tensor2D;
  }

  /** Decoder position 0: Linear2(θ). */
  globalToken(theta: tf.Tensor2D, scope: ForwardScope): tf.Tensor2D {
    return this.#textGlobal.apply(theta, scope);
  }

  /** The weighted mean of the chosen topics' means, `[B, d]` (gradient to μ only). */
  topicFeature(selection: TopicSelection): tf.Tensor2D {
    return tf.matMul(selection.weights, this.topics.mu as tf.Tensor2D);
  }

  /** The chosen topics' n-gram rows and their knowledge-graph nodes encoded against the embedded patches. */
  memories(selection: TopicSelection, image: ImageEncoding, scope: ForwardScope): TopicMemories {
    const embeddedPatches = tf.slice(image.embedded, [0, 1, 0], [-1, -1, -1]);
    const nodes = gatherTopicRows(this.#nodes as tf.Tensor2D, selection.indices, this.config.nodeSlots);
    return {
      patches: tf.slice(image.encoded, [0, 1, 0], [-1, -1, -1]),
      nodes: this.#nodeEncoder.apply(nodes, embeddedPatches, scope),
      grams: gatherTopicRows(this.#grams as tf.Tensor2D, selection.indices, this.config.gramSlots),
    };
  }

  /**
   * Decoder output `[B, 1 + T, d]` for word inputs `[B, T]`: position 0 is the global token and sees
   * only itself; word positions see position 0 and the causal, non-padding words.
   */
  decode(global: tf.Tensor2D, topicFeature: tf.Tensor2D, inputs: tf.Tensor2D, memories: TopicMemories, scope: ForwardScope): tf.Tensor3D {
    const [b, t] = inputs.shape;
    const d = this.config.dModel;
    const words = this.#embed.apply(inputs, scope);
    const topic = tf.tile(tf.expandDims(topicFeature, 1), [1, t, 1]);
    const f = this.#fuse;
    const hidden = f.n1.apply(tf.relu(f.l1.apply(tf.concat([words, topic], 2) as tf.Tensor3D)));
    const fused = f.n2.apply(tf.relu(f.l2.apply(hidden)));
    const x = tf.concat([tf.reshape(global, [b, 1, d]), fused], 1) as tf.Tensor3D;
    const keys = tf.concat([tf.ones([b, 1]), inputMask(inputs)], 1) as tf.Tensor2D;
    const selfMask = tf.add(keyPaddingMask(keys), causalMask(t + 1));
    return this.#decoder.apply(x, memories, selfMask, scope);
  }
}
