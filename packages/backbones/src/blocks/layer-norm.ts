import * as tf from '@tensorflow/tfjs-core';
import { unaryCustomGrad } from './unary-custom-grad';
import { ShapeError } from '@came-grad/optim-core';
import type { ParameterStore } from '../params/parameter-store';

/** The Annotated Transformer's LayerNorm epsilon, added to the standard deviation (R2Gen). */
export const LAYER_NORM_EPS = 1e-6;

function lastDim(x: tf.Tensor): number {
  const n = x.shape[x.rank - 1] ?? 0;
  if (n < 2) throw new ShapeError('layer norm input last axis', 'at least 2 (the unbiased std divides by n − 1)', `${n}`);
  return n;
}

/**
 * `(x − mean) / (std + eps)` over the last axis, with the *unbiased* std and eps added to the std
 * (the Annotated Transformer's LayerNorm, used by R2Gen and its descendants), as a
 * `tf.customGrad` op. The forward saves x̂ and the std; the backward is closed form:
 * `dx = (g − mean(g)) / s − x̂ · Σ(g x̂) / ((n − 1) σ)` with `s = σ + eps`.
 */
export function layerNormalize<T extends tf.Tensor>(x: T, eps: number = LAYER_NORM_EPS): T {
  const n = lastDim(x);
  const op = unaryCustomGrad((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const axis = input.rank - 1;
    const centred = tf.sub(input, tf.mean(input, axis, true));
    const sigma = tf.sqrt(tf.div(tf.sum(tf.mul(centred, centred), axis, true), n - 1));
    const s = tf.add(sigma, eps);
    const y = tf.div(centred, s);
    save([y, s, sigma]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
      const [ys, ss, sg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const centredG = tf.sub(dy, tf.mean(dy, axis, true));
      const gy = tf.sum(tf.mul(dy, ys), axis, true);
      // A constant row has x̂ = 0, so the second term vanishes; the floor only avoids 0 · ∞.
      const coef = tf.div(gy, tf.maximum(tf.mul(sg, n - 1), 1e-30));
      return tf.sub(tf.div(centredG, ss), tf.mul(ys, coef));
    };
    return { value: y, gradFunc };
  });
  return op(x) as T;
}

/** The same normalisation with stock tfjs ops and autodiff: the reference of the gradient tests. */
export function layerNormalizeReference<T extends tf.Tensor>(x: T, eps: number = LAYER_NORM_EPS): T {
  const n = lastDim(x);
  return tf.tidy(() => {
    const axis = x.rank - 1;
    const centred = tf.sub(x, tf.mean(x, axis, true));
    const std = tf.sqrt(tf.div(tf.sum(tf.square(centred), axis, true), n - 1));
    return tf.div(centred, tf.add(std, eps)) as T;
  });
}

/** LayerNorm with a learned gain (ones) and bias (zeros): `a ⊙ x̂ + b`. */
export class LayerNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;

  /** Creates `<prefix>.gamma` and `<prefix>.beta` of size `d`. */
  constructor(store: ParameterStore, prefix: string, d: number, readonly eps: number = LAYER_NORM_EPS) {
    this.gamma = store.add(`${prefix}.gamma`, [d], { kind: 'ones' });
    this.beta = store.add(`${prefix}.beta`, [d], { kind: 'zeros' });
  }

  /** Normalises over the last axis. */
  apply<T extends tf.Tensor>(x: T): T {
    return tf.add(tf.mul(layerNormalize(x, this.eps), this.gamma), this.beta) as T;
  }
}
