import * as tf from '@tensorflow/tfjs-core';

// Keeps sqrt and its gradient finite at the origin (the ball's centre is a common point).
const NORM_EPS = 1e-15;
// Points are kept strictly inside the ball, as geoopt/HGCN project them.
const BOUNDARY_EPS = 1e-5;
// artanh's argument stays below 1 in float32.
const ARTANH_MAX = 1 - 1e-6;

function norm(x: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.add(tf.sum(tf.square(x), -1, true), NORM_EPS));
}

function artanh(x: tf.Tensor): tf.Tensor {
  const z = tf.clipByValue(x, -ARTANH_MAX, ARTANH_MAX);
  return tf.mul(0.5, tf.log(tf.div(tf.add(1, z), tf.sub(1, z))));
}

/**
 * Operations of the Poincaré ball of curvature −c (Ganea et al. 2018, the HNN layers REVTAF's
 * `Post_HNN` is built from), over the last axis. Every map is written with stock ops, so autodiff
 * gives the Riemannian chain rule through them.
 */
export class PoincareBall {
  readonly #sqrtC: number;

  constructor(readonly c: number) {
    this.#sqrtC = Math.sqrt(c);
  }

  /** Rescales points onto the ball of radius `(1 − 1e-5)/√c` when they leave it. */
  project(x: tf.Tensor): tf.Tensor {
    const max = (1 - BOUNDARY_EPS) / this.#sqrtC;
    const n = norm(x);
    return tf.mul(x, tf.div(tf.minimum(n, max), n));
  }

  /** Exponential map at the origin: `tanh(√c‖v‖) v / (√c‖v‖)`. */
  expmap0(v: tf.Tensor): tf.Tensor {
    const n = tf.mul(norm(v), this.#sqrtC);
    return this.project(tf.mul(v, tf.div(tf.tanh(n), n)));
  }

  /** Logarithmic map at the origin: `artanh(√c‖y‖) y / (√c‖y‖)`. */
  logmap0(y: tf.Tensor): tf.Tensor {
    const n = tf.mul(norm(y), this.#sqrtC);
    return tf.mul(y, tf.div(artanh(n), n));
  }

  /** Möbius addition `x ⊕ y`, broadcasting over the leading axes. */
  mobiusAdd(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    const c = this.c;
    const xy = tf.sum(tf.mul(x, y), -1, true);
    const x2 = tf.sum(tf.square(x), -1, true);
    const y2 = tf.sum(tf.square(y), -1, true);
    const num = tf.add(tf.mul(tf.add(tf.add(1, tf.mul(2 * c, xy)), tf.mul(c, y2)), x), tf.mul(tf.sub(1, tf.mul(c, x2)), y));
    const den = tf.add(tf.add(1, tf.mul(2 * c, xy)), tf.mul(c * c, tf.mul(x2, y2)));
    return tf.div(num, tf.maximum(den, NORM_EPS));
  }

  /** Geodesic distance `(2/√c) artanh(√c ‖(−x) ⊕ y‖)`, over the last axis (broadcasting). */
  distance(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    const diff = this.mobiusAdd(tf.neg(x), y);
    return tf.squeeze(tf.mul(2 / this.#sqrtC, artanh(tf.mul(norm(diff), this.#sqrtC))), [-1]);
  }
}
