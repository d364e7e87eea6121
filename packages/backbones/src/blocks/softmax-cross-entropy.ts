import * as tf from '@tensorflow/tfjs-core';
import { unaryCustomGrad } from './unary-custom-grad';

/**
 * Masked token-level cross-entropy, `Σ mask·(−log softmax(logits)[target]) / Σ mask` (R2Gen's
 * `LanguageModelCriterion`), as a `tf.customGrad` op over `logits` `[N, V]`. The forward saves the
 * probabilities; the backward is `(p − onehot) · mask / Σ mask`. Targets `[N]` int32 and mask
 * `[N]` float32 are constants. An all-zero mask gives 0 instead of 0/0.
 */
export function maskedSoftmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  const vocab = logits.shape[1];
  const op = unaryCustomGrad((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const lse = tf.logSumExp(input, 1, true);
    const onehot = tf.oneHot(targets, vocab);
    const picked = tf.sum(tf.mul(input, onehot), 1, true);
    const denom = tf.maximum(tf.sum(mask), 1);
    const weights = tf.div(tf.reshape(mask, [-1, 1]), denom);
    const value = tf.sum(tf.mul(tf.sub(lse, picked), weights));
    save([tf.exp(tf.sub(input, lse)), onehot, weights]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
      const [probs, hot, w] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.mul(tf.mul(tf.sub(probs, hot), w), dy);
    };
    return { value, gradFunc };
  });
  return op(logits) as tf.Scalar;
}

/** The same loss with stock ops (`logSoftmax`, autodiff): the reference of the gradient tests. */
export function maskedSoftmaxCrossEntropyReference(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(targets, logits.shape[1])), 1);
    return tf.div(tf.neg(tf.sum(tf.mul(picked, mask))), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}
