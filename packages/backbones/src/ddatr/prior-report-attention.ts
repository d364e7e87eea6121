import * as tf from '@tensorflow/tfjs-core';
import { gelu } from '../blocks/gelu';
import { Linear } from '../blocks/linear';
import { MASKED } from '../blocks/multi-head-attention';
import type { ParameterStore } from '../params/parameter-store';

const INSTANCE_NORM_EPS = 1e-5;

// InstanceNorm2d without affine parameters: per image and channel over the spatial positions.
function instanceNorm(x: tf.Tensor3D): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, 1, true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, INSTANCE_NORM_EPS)));
}

/**
 * LAVT's pixel-word attention module (PWAM) as DDaTR applies it to the prior stream: prior-image
 * positions attend to the prior report's tokens (1×1 projections as Linear layers, instance-norm
 * on the queries and the output, a masked softmax), the result multiplies the projected visual
 * features element-wise and a final projection with GELU gives the update.
 */
export class PriorReportAttention {
  readonly #visProj: Linear;
  readonly #q: Linear;
  readonly #k: Linear;
  readonly #v: Linear;
  readonly #out: Linear;
  readonly #mm: Linear;

  /** Creates `<prefix>.{visProj,q,k,v,out,mm}`. */
  constructor(store: ParameterStore, prefix: string, readonly channels: number, textDim: number) {
    this.#visProj = new Linear(store, `${prefix}.visProj`, channels, channels);
    this.#q = new Linear(store, `${prefix}.q`, channels, channels);
    this.#k = new Linear(store, `${prefix}.k`, textDim, channels);
    this.#v = new Linear(store, `${prefix}.v`, textDim, channels);
    this.#out = new Linear(store, `${prefix}.out`, channels, channels);
    this.#mm = new Linear(store, `${prefix}.mm`, channels, channels);
  }

  /**
   * @param maps prior-stream maps `[N, h, w, c]`
   * @param text prior-report tokens `[N, T, textDim]`
   * @param textMask `[N, T]`, 1 on report positions
   * @returns the update `[N, h, w, c]` (before the gate)
   */
  apply(maps: tf.Tensor4D, text: tf.Tensor3D, textMask: tf.Tensor2D): tf.Tensor4D {
    const [n, h, w, c] = maps.shape;
    const x = tf.reshape(maps, [n, h * w, c]) as tf.Tensor3D;
    const vis = gelu(this.#visProj.apply(x));
    const q = this.#q.apply(instanceNorm(x));
    const k = this.#k.apply(text);
    const v = this.#v.apply(text);
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(c)), tf.mul(tf.sub(1, tf.reshape(textMask, [n, 1, -1])), MASKED));
    const attended = instanceNorm(this.#out.apply(tf.matMul(tf.softmax(scores), v)));
    const update = gelu(this.#mm.apply(tf.mul(vis, attended)));
    return tf.reshape(update, [n, h, w, c]);
  }
}
