import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { Conv2d, foldViews, mapsToTokens } from './conv2d';
import type { VisualExtractor, VisualFeatures } from './visual-extractor';

/** Options of {@link DenseNetExtractor}. */
export interface DenseNetExtractorOptions {
  /** Input channels. */
  readonly inChannels: number;
  /** Channels of the stride-2 stem convolution. */
  readonly stem: number;
  /** Layers in each dense block; every block is followed by a stride-2 transition. */
  readonly blocks: readonly number[];
  /** Channels each dense layer adds. */
  readonly growth: number;
}

/**
 * A small DenseNet-style extractor standing in for DenseNet-121 (CAMANet). A stride-2 stem, then
 * dense blocks where each layer appends `relu(conv3×3(x))` (`growth` channels) to its input, each
 * followed by a transition: 1×1 convolution halving the channels, ReLU and 2×2 average pooling.
 * No batch norm, for the reason given in {@link ResNetExtractor}.
 */
export class DenseNetExtractor implements VisualExtractor {
  readonly outDim: number;
  readonly #stem: Conv2d;
  readonly #blocks: { layers: Conv2d[]; transition: Conv2d }[] = [];

  /** Creates `<prefix>.stem` and `<prefix>.blocks.<i>.{layers.<j>,transition}`. */
  constructor(store: ParameterStore, prefix: string, readonly options: DenseNetExtractorOptions) {
    if (options.blocks.length === 0) throw new InvalidOptionError(`${prefix}.blocks`, 'a non-empty list of layer counts', options.blocks);
    this.#stem = new Conv2d(store, `${prefix}.stem`, options.inChannels, options.stem, 3, 2);
    let c = options.stem;
    options.blocks.forEach((count, i) => {
      const p = `${prefix}.blocks.${i}`;
      const layers: Conv2d[] = [];
      for (let j = 0; j < count; j++) {
        layers.push(new Conv2d(store, `${p}.layers.${j}`, c, options.growth, 3, 1));
        c += options.growth;
      }
      const out = Math.max(1, Math.floor(c / 2));
      this.#blocks.push({ layers, transition: new Conv2d(store, `${p}.transition`, c, out, 1, 1) });
      c = out;
    });
    this.outDim = c;
  }

  /** `(side / 2^(1 + blocks))²`, each halving rounded down by the pooling after the stem's ceiling. */
  tokensPerView(imageSize: number): number {
    let side = Math.ceil(imageSize / 2);
    for (let i = 0; i < this.#blocks.length; i++) side = Math.floor(side / 2);
    return side * side;
  }

  /** Runs all views through the network. */
  apply(images: tf.Tensor5D, _scope: ForwardScope): VisualFeatures {
    let x = tf.relu(this.#stem.apply(foldViews(images)));
    for (const block of this.#blocks) {
      for (const layer of block.layers) x = tf.concat([x, tf.relu(layer.apply(x))], 3);
      x = tf.avgPool(tf.relu(block.transition.apply(x)), 2, 2, 'valid');
    }
    return mapsToTokens(x, images.shape[0]);
  }
}
