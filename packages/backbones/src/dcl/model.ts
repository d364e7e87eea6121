import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import { TransformerDecoder } from '../blocks/transformer-decoder';
import { ViTEncoder } from '../blocks/vit-encoder';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import type { DclConfig } from './config';
import { KnowledgeGraph } from './knowledge-graph';
import { TiedTextTransformer, type TextMode } from './tied-text-transformer';

/** Prefixes of the parts reached by all three tasks (image side and the tied text weights; see the adapter). */
export const IMAGE_PREFIXES = ['visual', 'iuProj', 'kg', 'fusion'] as const;
/** Prefixes reached by itc only. */
export const ITC_PREFIXES = ['itc'] as const;
/** Prefixes reached by itm only. */
export const ITM_PREFIXES = ['itmHead'] as const;
/** Prefixes reached by lm only, besides the decoder self-attention of every text layer. */
export const LM_PREFIXES = ['lmHead'] as const;

function unit(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-12));
}

/**
 * DCL (Li et al., CVPR 2023) at test scale: a ViT (per-view tokens joined on the feature axis by
 * `iuProj` for two views), a dynamic knowledge graph fused into the image tokens by a
 * cross-attention Transformer (`fusion`, DCL `cross_attn`), BLIP's tied text encoder/decoder, the
 * ITC projections with a learnable temperature, the ITM head and the LM head. The momentum copy
 * is the same class built without the ITM/LM parts in a frozen store.
 */
export class DclModel {
  readonly visual: ViTEncoder;
  readonly iuProj: Linear | undefined;
  readonly kg: KnowledgeGraph;
  readonly fusion: TransformerDecoder;
  readonly text: TiedTextTransformer;
  readonly visionProj: Linear;
  readonly textProj: Linear;
  readonly temperature: tf.Variable | undefined;
  readonly itmHead: Linear | undefined;
  readonly lmHead: Linear | undefined;

  /**
   * Creates the variables under `root` (`''` online, `'momentum.'` for the momentum copy, which
   * has no temperature, ITM head, LM head or decoder self-attention).
   */
  constructor(store: ParameterStore, readonly config: DclConfig, vocabSize: number, readonly root: string, momentum: boolean) {
    const c = config;
    const d = c.dModel;
    const sizes = { d, heads: c.heads, dFF: c.dFF, dropout: c.dropout };
    this.visual = new ViTEncoder(store, `${root}visual`, {
      inChannels: c.channels, imageSize: c.imageSize, patch: c.patchSize, d, heads: c.heads, layers: c.encoderLayers, dFF: c.dFF, dropout: c.dropout,
    });
    this.iuProj = c.views === 2 ? new Linear(store, `${root}iuProj`, 2 * d, d) : undefined;
    this.kg = new KnowledgeGraph(store, `${root}kg`, { ...sizes, layers: c.graphLayers, baseNodes: c.baseNodes, retrievedNodes: c.retrievedNodes });
    this.fusion = new TransformerDecoder(store, `${root}fusion`, { ...sizes, layers: c.fusionLayers });
    this.text = new TiedTextTransformer(store, `${root}text`, { ...sizes, vocabSize, layers: c.decoderLayers, encoderOnly: momentum });
    this.visionProj = new Linear(store, `${root}itc.visionProj`, d, c.itcDim);
    this.textProj = new Linear(store, `${root}itc.textProj`, d, c.itcDim);
    this.temperature = momentum ? undefined : store.add(`${root}itc.temperature`, [], { kind: 'constant', value: c.temperature });
    this.itmHead = momentum ? undefined : new Linear(store, `${root}itmHead`, d, 2);
    this.lmHead = momentum ? undefined : new Linear(store, `${root}lmHead`, d, vocabSize);
  }

  /** Image tokens `[B, N, d]` of the configured views (two views side by side on the feature axis, then `iuProj`). */
  imageTokens(images: tf.Tensor5D, scope: ForwardScope): tf.Tensor3D {
    const views = this.config.views;
    const used = images.shape[1] === views ? images : (tf.slice(images, [0, 0, 0, 0, 0], [-1, views, -1, -1, -1]) as tf.Tensor5D);
    const tokens = this.visual.apply(used, scope).tokens;
    if (this.iuProj === undefined) return tokens;
    const [b, vn, d] = tokens.shape;
    const n = vn / views;
    const joined = tf.reshape(tf.transpose(tf.reshape(tokens, [b, views, n, d]), [0, 2, 1, 3]), [b, n, views * d]) as tf.Tensor3D;
    return this.iuProj.apply(joined);
  }

  /** Knowledge-enhanced image embeddings `[B, N, d]`: image tokens attend to the encoded graph nodes. */
  fuse(tokens: tf.Tensor3D, retrieved: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    const nodes = this.kg.apply(retrieved, scope);
    return this.fusion.apply(tokens, nodes, tf.zeros([1, 1, 1, 1]), undefined, scope);
  }

  /** Unit ITC feature `[B, itcDim]` of image embeddings (their mean stands in for ViT's CLS token). */
  imageFeature(embeds: tf.Tensor3D): tf.Tensor2D {
    return unit(this.visionProj.apply(tf.mean(embeds, 1) as tf.Tensor2D));
  }

  /** Text hidden states in a mode (see {@link TiedTextTransformer.apply}). */
  textStates(mode: TextMode, ids: tf.Tensor2D, mask: tf.Tensor2D, image: tf.Tensor3D | undefined, scope: ForwardScope, site = ''): tf.Tensor3D {
    return this.text.apply(mode, ids, mask, image, scope, site);
  }

  /** Unit ITC feature `[B, itcDim]` of the text CLS state (position 0, the BOS token). */
  textFeature(cls: tf.Tensor2D): tf.Tensor2D {
    return unit(this.textProj.apply(cls));
  }
}

/** The CLS state `[B, d]` (position 0) of text states `[B, T, d]`. */
export function clsState(states: tf.Tensor3D): tf.Tensor2D {
  const [b, , d] = states.shape;
  return tf.reshape(tf.slice(states, [0, 0, 0], [-1, 1, -1]), [b, d]);
}
