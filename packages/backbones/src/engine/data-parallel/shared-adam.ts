/** Adam hyperparameters, with tfjs's `tf.train.adam` meaning and defaults. */
export interface AdamHyper {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  /** tfjs's default is the float32 backend epsilon, 1e-7. */
  readonly epsilon: number;
}

/** Defaults of `tf.train.adam` on a float32 backend. */
export const ADAM_DEFAULTS: AdamHyper = Object.freeze({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });

/**
 * One Adam step (tfjs's formula: bias-corrected moments, ε added to √v̂) on the index range
 * [start, end) of a flat parameter vector, with the gradient taken as the mean of `gradSlots` (one
 * slot per data-parallel replica). Each replica updates a disjoint range, so the update is split
 * across threads without locks; `step` counts from 1.
 */
export function adamRange(
  params: Float32Array,
  m: Float32Array,
  v: Float32Array,
  gradSlots: readonly Float32Array[],
  start: number,
  end: number,
  step: number,
  hyper: AdamHyper,
): void {
  const { learningRate: lr, beta1, beta2, epsilon } = hyper;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  const scale = 1 / gradSlots.length;
  for (let i = start; i < end; i++) {
    let g = 0;
    for (const slot of gradSlots) g += slot[i]!;
    g *= scale;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] = params[i]! - (lr * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
  }
}
