import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import type { ParameterStore } from '../params/parameter-store';
import type { RetrievalGeometry } from './config';
import { PoincareBall } from './poincare-ball';

/** Sizes of a {@link RetrievalEncoder}. */
export interface RetrievalEncoderOptions {
  readonly inDim: number;
  readonly dim: number;
  readonly layers: number;
  readonly geometry: RetrievalGeometry;
  readonly curvature: number;
}

// Euclidean distance with a finite gradient at zero distance (the diagonal of a batch matrix).
function euclidean(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(x, y)), -1), 1e-12));
}

/**
 * REVTAF's Learnable Retrieval Enhancer encoder (`Post_HNN`) at test scale: the region summary is
 * mapped into the Poincaré ball (`expmap0`), then `layers` hyperbolic linear layers
 * `(W ⊗_c x) ⊕_c expmap0(b)` with the hyperbolic ReLU `expmap0(relu(logmap0(·)))` between them.
 * With `geometry: 'euclidean'` (the spec's fallback) the same layers are plain Linear + ReLU and
 * the distance is Euclidean.
 */
export class RetrievalEncoder {
  readonly #layers: Linear[] = [];
  readonly #ball: PoincareBall | undefined;

  /** Creates `<prefix>.layers.<i>`. */
  constructor(store: ParameterStore, prefix: string, readonly options: RetrievalEncoderOptions) {
    let inDim = options.inDim;
    for (let i = 0; i < options.layers; i++) {
      this.#layers.push(new Linear(store, `${prefix}.layers.${i}`, inDim, options.dim));
      inDim = options.dim;
    }
    this.#ball = options.geometry === 'poincare' ? new PoincareBall(options.curvature) : undefined;
  }

  /** Embeds `[B, inDim]` Euclidean features: points of the ball (or of R^dim) `[B, dim]`. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const ball = this.#ball;
    const last = this.#layers.length - 1;
    if (ball === undefined) {
      let h: tf.Tensor2D = x;
      this.#layers.forEach((layer, i) => {
        h = layer.apply(h);
        if (i < last) h = tf.relu(h);
      });
      return h;
    }
    let h = ball.expmap0(x);
    this.#layers.forEach((layer, i) => {
      const weight = layer.weight as tf.Tensor2D;
      const moved = ball.expmap0(tf.matMul(ball.logmap0(h) as tf.Tensor2D, weight));
      h = layer.bias === undefined ? moved : ball.project(ball.mobiusAdd(moved, ball.expmap0(layer.bias)));
      if (i < last) h = ball.expmap0(tf.relu(ball.logmap0(h)));
    });
    return h as tf.Tensor2D;
  }

  /** Distances between `x` `[…, dim]` and `y` `[…, dim]` (broadcasting), in the encoder's geometry. */
  distance(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    return this.#ball === undefined ? euclidean(x, y) : this.#ball.distance(x, y);
  }
}
