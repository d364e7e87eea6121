import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from '../params/parameter-store';

/** A 2-D convolution (NHWC, 'same' padding) with bias; Kaiming-normal (fan-out) filters as in torchvision. */
export class Conv2d {
  readonly filter: tf.Variable;
  readonly bias: tf.Variable;

  /** Creates `<prefix>.filter` `[k, k, in, out]` and `<prefix>.bias`. */
  constructor(store: ParameterStore, prefix: string, inChannels: number, readonly outChannels: number, readonly kernel: number, readonly stride: number) {
    this.filter = store.add(`${prefix}.filter`, [kernel, kernel, inChannels, outChannels], { kind: 'kaimingNormalFanOut' });
    this.bias = store.add(`${prefix}.bias`, [outChannels], { kind: 'zeros' });
  }

  /** `[N, H, W, in]` → `[N, ⌈H/stride⌉, ⌈W/stride⌉, out]`. */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.add(tf.conv2d(x, this.filter as tf.Tensor4D, this.stride, 'same'), this.bias);
  }
}

/** Folds views into the batch: `[B, V, H, W, C]` → `[B·V, H, W, C]`. */
export function foldViews(images: tf.Tensor5D): tf.Tensor4D {
  const [b, v, h, w, c] = images.shape;
  return tf.reshape(images, [b * v, h, w, c]);
}

/** Unfolds feature maps `[B·V, h, w, C]` into tokens `[B, V·h·w, C]` and their mean `[B, C]`. */
export function mapsToTokens(maps: tf.Tensor4D, batch: number): { tokens: tf.Tensor3D; pooled: tf.Tensor2D } {
  const c = maps.shape[3];
  const tokens = tf.reshape(maps, [batch, -1, c]) as tf.Tensor3D;
  return { tokens, pooled: tf.mean(tokens, 1) };
}
