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
