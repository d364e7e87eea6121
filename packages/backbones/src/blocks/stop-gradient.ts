import * as tf from '@tensorflow/tfjs-core';
import { unaryCustomGrad } from './unary-custom-grad';

/**
 * Identity in the forward pass, zero gradient in the backward pass (tfjs has no `stopGradient`).
 * Ops run inside a `tf.customGrad` forward are not recorded on the tape, so ops without a
 * registered gradient (such as `TopK`) may be used on the result.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const op = unaryCustomGrad((input: tf.Tensor) => ({
    value: tf.clone(input),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return op(x) as T;
}
