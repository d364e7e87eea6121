import type * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import type { InputSpec } from '../contract';

/** Throws a `ShapeError` naming `batch.images` unless it is `[B, V, S, S, C]` as the adapter's input spec says. */
export function checkImages(images: tf.Tensor, spec: Pick<InputSpec, 'views' | 'imageSize' | 'channels'>): void {
  const [, v, h, w, c] = images.shape;
  if (images.rank !== 5 || v !== spec.views || h !== spec.imageSize || w !== spec.imageSize || c !== spec.channels) {
    throw new ShapeError('batch.images', `[B, ${spec.views}, ${spec.imageSize}, ${spec.imageSize}, ${spec.channels}]`, `[${images.shape.join(', ')}]`);
  }
}

/**
 * Throws a `ShapeError` naming `batch.images` unless it is `[B, V, S, S, C]` with at least
 * `minViews` views: for adapters that read only their first views (or one view) of a study.
 */
export function checkImagesWithViews(images: tf.Tensor, spec: Pick<InputSpec, 'imageSize' | 'channels'>, minViews: number): void {
  const [, v, h, w, c] = images.shape;
  if (images.rank !== 5 || (v ?? 0) < minViews || h !== spec.imageSize || w !== spec.imageSize || c !== spec.channels) {
    throw new ShapeError('batch.images', `[B, V ≥ ${minViews}, ${spec.imageSize}, ${spec.imageSize}, ${spec.channels}]`, `[${images.shape.join(', ')}]`);
  }
}
