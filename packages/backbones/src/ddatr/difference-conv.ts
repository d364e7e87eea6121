import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from '../params/parameter-store';

/**
 * A learnable central-difference 3×3 convolution (LDC/CDC, Yu et al. 2020, as DDaTR's
 * `FeatureFusion` uses it): `y = conv(x, W) − θ · conv₁ₓ₁(x, Σ_ij W_ij)`. The second term is the
 * convolution of the centre pixel with the summed kernel, so the layer responds to local
 * differences rather than intensities; θ is learned (initialised from the config).
 */
export class DifferenceConv {
  readonly filter: tf.Variable;
  readonly theta: tf.Variable;

  /** Creates `<prefix>.filter` `[3, 3, c, c]` and `<prefix>.theta` `[1]`. */
  constructor(store: ParameterStore, prefix: string, readonly channels: number, theta: number) {
    this.filter = store.add(`${prefix}.filter`, [3, 3, channels, channels], { kind: 'kaimingNormalFanOut' });
    this.theta = store.add(`${prefix}.theta`, [1], { kind: 'constant', value: theta });
  }

  /** `[N, h, w, c]` → `[N, h, w, c]` ('same' padding, stride 1). */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    const full = tf.conv2d(x, this.filter as tf.Tensor4D, 1, 'same');
    const centre = tf.reshape(tf.sum(this.filter, [0, 1]), [1, 1, this.channels, this.channels]) as tf.Tensor4D;
    return tf.sub(full, tf.mul(this.theta, tf.conv2d(x, centre, 1, 'same')));
  }
}
