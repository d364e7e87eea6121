import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { foldViews } from './conv2d';
import { Linear } from './linear';
import { TransformerEncoder } from './transformer-encoder';
import type { VisualExtractor, VisualFeatures } from './visual-extractor';

/** Options of {@link ViTEncoder}. */
export interface ViTEncoderOptions {
  readonly inChannels: number;
  /** Square image side the positional table is sized for. */
  readonly imageSize: number;
  /** Patch side (§5: 16). */
  readonly patch: number;
  /** Token width (§5: 64). */
  readonly d: number;
  readonly heads: number;
  readonly layers: number;
  readonly dFF: number;
  readonly dropout: number;
}

/**
 * A ViT-style patch encoder standing in for ViT-B/16 and Swin-B (§5): non-overlapping patches,
 * a linear patch embedding, learned positional embeddings (N(0, 0.02²)) and a pre-LN Transformer
 * encoder with GELU feed-forwards. It has no class token: the pooled feature is the token mean,
 * like the CNN extractors.
 */
export class ViTEncoder implements VisualExtractor {
  readonly outDim: number;
  readonly #embed: Linear;
  readonly #positions: tf.Variable;
  readonly #encoder: TransformerEncoder;

  /** Creates `<prefix>.{patchEmbed,positions,encoder}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: ViTEncoderOptions) {
    const { imageSize, patch, inChannels, d } = options;
    if (!Number.isInteger(patch) || patch < 1 || imageSize % patch !== 0) {
      throw new InvalidOptionError(`${prefix}.patch`, `a positive divisor of imageSize = ${imageSize}`, patch);
    }
    this.outDim = d;
    this.#embed = new Linear(store, `${prefix}.patchEmbed`, patch * patch * inChannels, d);
    this.#positions = store.add(`${prefix}.positions`, [this.tokensPerView(imageSize), d], { kind: 'normal', std: 0.02 });
    this.#encoder = new TransformerEncoder(store, `${prefix}.encoder`, {
      layers: options.layers, d, heads: options.heads, dFF: options.dFF, dropout: options.dropout, activation: 'gelu',
    });
  }

  /** `(side / patch)²`. */
  tokensPerView(imageSize: number): number {
    const side = Math.floor(imageSize / this.options.patch);
    return side * side;
  }

  /** Patchifies and encodes every view; tokens of the views are concatenated. */
  apply(images: tf.Tensor5D, scope: ForwardScope): VisualFeatures {
    const [b, , h, w, c] = images.shape;
    if (h !== this.options.imageSize || w !== this.options.imageSize) {
      throw new InvalidOptionError('images.shape[2..3]', `[${this.options.imageSize}, ${this.options.imageSize}] (the ViT's imageSize)`, [h, w]);
    }
    const p = this.options.patch;
    const x = foldViews(images);
    const n = x.shape[0];
    const patches = tf.reshape(tf.transpose(tf.reshape(x, [n, h / p, p, w / p, p, c]), [0, 1, 3, 2, 4, 5]), [n, (h / p) * (w / p), p * p * c]) as tf.Tensor3D;
    const embedded = tf.add(this.#embed.apply(patches), this.#positions) as tf.Tensor3D;
    const encoded = this.#encoder.apply(embedded, undefined, scope);
    const tokens = tf.reshape(encoded, [b, -1, this.outDim]) as tf.Tensor3D;
    return { tokens, pooled: tf.mean(tokens, 1) };
  }
}
