import * as tf from '@tensorflow/tfjs-core';

/** Forward of a one-input custom-gradient op: its value and the gradient of the input. */
export type UnaryCustomGradFn = (x: tf.Tensor, save: tf.GradSaveFunc) => {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor;
};

/**
 * `tf.customGrad` for ops of one tensor input, with the input and `save` typed apart (tfjs types
 * the variadic arguments as one union).
 */
export function unaryCustomGrad(f: UnaryCustomGradFn): (x: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => f(args[0] as tf.Tensor, args[args.length - 1] as tf.GradSaveFunc));
  return (x) => op(x);
}
