import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '../errors';

/** A named state tensor, as `tf.Optimizer.getWeights` returns them. */
export type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

/** Prefix of the weights this package adds to an inner optimizer's own `getWeights()` list. */
export const STATE_PREFIX = 'came-grad/';
const INNER_PREFIX = `${STATE_PREFIX}inner/`;

/**
 * Forwards a learning-rate change to the inner optimizer (came-grad.md §8.9). SGD and Momentum
 * cache −lr in a tensor and expose `setLearningRate`; the others read their `learningRate` field
 * at every `applyGradients`.
 */
export function setInnerLearningRate(inner: tf.Optimizer, lr: number): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new InvalidOptionError('learningRate', 'a finite number ≥ 0', lr);
  }
  const o = inner as unknown as { setLearningRate?: (lr: number) => void; learningRate?: unknown };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else if (typeof o.learningRate === 'number') o.learningRate = lr;
  else throw new InvalidOptionError('inner', 'an optimizer with a numeric `learningRate` or a `setLearningRate` method', inner.getClassName());
}

/** The inner optimizer's current learning rate, or `undefined` if it has none. */
export function getInnerLearningRate(inner: tf.Optimizer): number | undefined {
  const lr = (inner as unknown as { learningRate?: unknown }).learningRate;
  return typeof lr === 'number' ? lr : undefined;
}

function isVariable(x: unknown): x is tf.Variable {
  return x instanceof tf.Tensor && typeof (x as { assign?: unknown }).assign === 'function' && typeof (x as { trainable?: unknown }).trainable === 'boolean';
}

/**
 * A snapshot of the inner optimizer's state: its own `getWeights()` list (live variables cloned,
 * so that later steps do not change the snapshot) plus every scalar-state variable that list omits.
 * The extras exist because Adam's `setWeights` recomputes β^t with `pow`, which differs in the last
 * float32 bit from the running product its steps maintain: restoring the variable itself is what
 * makes resume bitwise exact.
 */
export async function snapshotInner(inner: tf.Optimizer): Promise<NamedTensor[]> {
  const own = await inner.getWeights();
  const listed = new Set(own.map((w) => w.tensor.id));
  const out = own.map((w) => ({ name: w.name, tensor: isVariable(w.tensor) ? tf.clone(w.tensor) : w.tensor }));
  for (const [key, value] of Object.entries(inner)) {
    if (isVariable(value) && !listed.has(value.id)) out.push({ name: `${INNER_PREFIX}${key}`, tensor: tf.clone(value) });
  }
  return out;
}

/** Restores a {@link snapshotInner} list (entries under the `came-grad/` prefix that are not inner extras are ignored here). */
export async function restoreInner(inner: tf.Optimizer, weights: readonly NamedTensor[]): Promise<void> {
  const own = weights.filter((w) => !w.name.startsWith(STATE_PREFIX));
  await inner.setWeights(own);
  const fields = inner as unknown as Record<string, unknown>;
  for (const w of weights) {
    if (!w.name.startsWith(INNER_PREFIX)) continue;
    const key = w.name.slice(INNER_PREFIX.length);
    const target = fields[key];
    if (!isVariable(target)) {
      throw new ShapeError(`weights["${w.name}"]`, `a state variable \`${key}\` of the inner ${inner.getClassName()} optimizer`, 'no such variable');
    }
    if (target.shape.join(',') !== w.tensor.shape.join(',')) {
      throw new ShapeError(`weights["${w.name}"]`, `shape [${target.shape.join(', ')}]`, `shape [${w.tensor.shape.join(', ')}]`);
    }
    target.assign(w.tensor);
  }
}
