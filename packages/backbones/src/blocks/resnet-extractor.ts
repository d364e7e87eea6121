import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { Conv2d, foldViews, mapsToTokens } from './conv2d';
import type { VisualExtractor, VisualFeatures } from './visual-extractor';

/** Options of {@link ResNetExtractor}. */
export interface ResNetExtractorOptions {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels of each stage; every stage halves the resolution (§5: 16/32/64/64). */
  readonly channels: readonly number[];
}

/**
 * A small ResNet-style extractor standing in for ResNet-101 (`specs/backbones.md` §5). Each stage
 * is a stride-2 3×3 convolution + ReLU followed by one residual unit
 * `relu(x + conv(relu(conv(x))))`. Batch norm is left out: its running statistics would be
 * mutable state outside `commitState`, and the small models train without it.
 */
export class ResNetExtractor implements VisualExtractor {
  readonly outDim: number;
  readonly #stages: { down: Conv2d; a: Conv2d; b: Conv2d }[] = [];

  /** Creates `<prefix>.stages.<i>.{down,a,b}`. */
  constructor(store: ParameterStore, prefix: string, readonly options: ResNetExtractorOptions) {
    if (options.channels.length === 0) throw new InvalidOptionError(`${prefix}.channels`, 'a non-empty list of stage widths', options.channels);
    let inC = options.inChannels;
    options.channels.forEach((c, i) => {
      const p = `${prefix}.stages.${i}`;
      this.#stages.push({ down: new Conv2d(store, `${p}.down`, inC, c, 3, 2), a: new Conv2d(store, `${p}.a`, c, c, 3, 1), b: new Conv2d(store, `${p}.b`, c, c, 3, 1) });
      inC = c;
    });
    this.outDim = inC;
  }

  /** `(⌈side / 2^stages⌉)²`. */
  tokensPerView(imageSize: number): number {
    let side = imageSize;
    for (let i = 0; i < this.#stages.length; i++) side = Math.ceil(side / 2);
    return side * side;
  }

  /** Runs all views through the stages. */
  apply(images: tf.Tensor5D, _scope: ForwardScope): VisualFeatures {
    let x = foldViews(images);
    for (const s of this.#stages) {
      x = tf.relu(s.down.apply(x));
      x = tf.relu(tf.add(x, s.b.apply(tf.relu(s.a.apply(x))))) as tf.Tensor4D;
    }
    return mapsToTokens(x, images.shape[0]);
  }
}
