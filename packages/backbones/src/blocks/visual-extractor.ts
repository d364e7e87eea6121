import type * as tf from '@tensorflow/tfjs-core';
import type { ForwardScope } from '../params/forward-scope';

/** Output of a visual extractor for a batch of studies. */
export interface VisualFeatures {
  /** Patch tokens of all views, concatenated view after view: `[B, V·N, C]`. */
  readonly tokens: tf.Tensor3D;
  /** Average of all tokens (the pooled visual feature): `[B, C]`. */
  readonly pooled: tf.Tensor2D;
}

/** A CNN or patch Transformer that turns `[B, V, H, W, C]` images into patch tokens. */
export interface VisualExtractor {
  /** Token width C. */
  readonly outDim: number;
  /** Tokens per view for a square image of the given side. */
  tokensPerView(imageSize: number): number;
  /** Runs every view through the same weights. */
  apply(images: tf.Tensor5D, scope: ForwardScope): VisualFeatures;
}
