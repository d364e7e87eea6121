import * as tf from '@tensorflow/tfjs-core';
import { unaryCustomGrad } from './unary-custom-grad';

// √(2/π) and the cubic coefficient of the tanh approximation (Hendrycks & Gimpel, 2016).
const C = Math.sqrt(2 / Math.PI);
const K = 0.044715;

/**
 * GELU, tanh approximation, as a `tf.customGrad` op: the cube is two multiplications (never
 * `pow`, whose wasm kernel is scalar), and the backward pass is the closed-form derivative
 * `½(1 + t) + ½x(1 − t²)·c(1 + 3k x²)`, with `t = tanh(c(x + k x³))` saved from the forward.
 * See `notes/engine-performance.md` §7.2.
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  const op = unaryCustomGrad((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const x2 = tf.mul(input, input);
    const t = tf.tanh(tf.mul(tf.mul(input, tf.add(tf.mul(x2, K), 1)), C));
    save([input, t]);
    const value = tf.mul(tf.mul(input, 0.5), tf.add(t, 1));
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
      const [xs, ts] = saved as [tf.Tensor, tf.Tensor];
      const xx = tf.mul(xs, xs);
      const left = tf.mul(tf.add(ts, 1), 0.5);
      const sech2 = tf.sub(1, tf.mul(ts, ts));
      const right = tf.mul(tf.mul(tf.mul(xs, 0.5 * C), sech2), tf.add(tf.mul(xx, 3 * K), 1));
      return tf.mul(dy, tf.add(left, right));
    };
    return { value, gradFunc };
  });
  return op(x) as T;
}

/**
 * The same GELU written with stock tfjs ops (`pow` and autodiff). Kept as the reference of the
 * gradient tests of {@link gelu}; not for use in models.
 */
export function geluReference<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), K)), C);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1)) as T;
  });
}
