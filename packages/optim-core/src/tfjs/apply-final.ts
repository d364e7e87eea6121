import * as tf from '@tensorflow/tfjs-core';
import { finalizeGradients } from './clip';
import type { ClipOption } from './clip';

/** What {@link applyFinalGradients} did. */
export interface AppliedGradients {
  /** False when a final gradient entry was NaN or ±Infinity: nothing was applied. */
  readonly finite: boolean;
  /** Global L2 norm before clipping. */
  readonly norm: number;
  /** Norm-clipping factor (1 under the threshold), `null` for value clipping and `'none'`. */
  readonly clipScale: number | null;
}

/**
 * The end of every step of this binding: the finiteness guard, clipping, then ONE
 * `applyGradients` of the inner optimizer, in the same way {@link MultiTaskOptimizer} ends its
 * steps. The gradient list is positional with `undefined` holes, because an inner optimizer may
 * key its state by position: a variable without a gradient this step keeps its slot. Takes
 * ownership of `grads` (all disposed on return).
 */
export function applyFinalGradients(
  inner: tf.Optimizer, xs: readonly tf.Variable[], slots: readonly tf.Variable[], grads: (tf.Tensor | undefined)[], clip: ClipOption,
): AppliedGradients {
  const fin = finalizeGradients(grads, clip);
  const owned = fin.grads.filter((t): t is tf.Tensor => t !== undefined);
  try {
    if (!fin.finite) return { finite: false, norm: fin.norm, clipScale: null };
    const byName = new Map(xs.map((x, v) => [x.name, fin.grads[v]]));
    inner.applyGradients(slots.map((x) => ({ name: x.name, tensor: byName.get(x.name) as tf.Tensor })));
    return { finite: true, norm: fin.norm, clipScale: fin.clipScale };
  } finally {
    tf.dispose(owned);
  }
}

/** The trainable variables of a step: the explicit list, or every trainable variable of the engine. */
export function trainableVariables(list: readonly tf.Variable[] | null): readonly tf.Variable[] {
  const registered = tf.engine().registeredVariables;
  const all = list ?? Object.keys(registered).map((k) => registered[k] as tf.Variable);
  return all.filter((v) => v.trainable);
}

/** Converts `engine.gradients` output (null or undefined holes) into `undefined` holes. */
export function holes(grads: readonly (tf.Tensor | null | undefined)[]): (tf.Tensor | undefined)[] {
  return grads.map((t) => (t === undefined || t === null ? undefined : t));
}
