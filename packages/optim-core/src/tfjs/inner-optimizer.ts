import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors';

/**
 * The `inner` optimizer of a wrapping optimizer's options (the loss-weighted and RotoGrad steps),
 * checked first: the options must be an object and `inner` a `tf.Optimizer`, whose update every
 * step delegates to.
 *
 * @throws InvalidOptionError naming `options` or `inner`
 */
export function innerOptimizerOf(options: { readonly inner: tf.Optimizer }): tf.Optimizer {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object', options);
  if (!(options.inner instanceof tf.Optimizer)) throw new InvalidOptionError('inner', 'a tf.Optimizer (AdamW, tf.train.adam(), ...)', typeof options.inner);
  return options.inner;
}
