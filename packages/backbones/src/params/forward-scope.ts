import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../random/seed';

/**
 * Per-pass randomness. Dropout masks are keyed by the site's name and the pass seed, never by
 * call order: a forward restricted to one task draws the same masks as the full pass, which
 * per-task gradients rely on (tfjs re-runs the forward for every gradient).
 */
export interface ForwardScope {
  /** Whether dropout is on. */
  readonly training: boolean;
  /** Seed of this pass. */
  readonly seed: number;
}

/** A scope with dropout off, for inference. */
export const INFERENCE_SCOPE: ForwardScope = Object.freeze({ training: false, seed: 0 });

/**
 * Inverted dropout with a mask drawn from `deriveSeed(scope.seed, site)`. Identity when not
 * training or when `rate` is 0.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, site: string, scope: ForwardScope): T {
  if (!scope.training || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, deriveSeed(scope.seed, site)) as T;
}

/** The scope of a forward pass from its step context: dropout in training, masks from the step's seed. */
export function scopeOf(ctx: { readonly training: boolean; readonly seed: number }): ForwardScope {
  return { training: ctx.training, seed: ctx.seed };
}
