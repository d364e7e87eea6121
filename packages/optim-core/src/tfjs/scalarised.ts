import * as tf from '@tensorflow/tfjs-core';
import type { Weighting } from '../types';
import { toGramian } from '../gram/to-gramian';
import { checkLosses, readLosses } from './jacobian';
import type { ActiveTasks, LossesFn } from './jacobian';

/**
 * True for a method whose weights never read the Gram (linear scalarisation: f = ω, 1 or 1/K).
 * Its step is one backward of Σ f_i L_i, as in single-loss training; per-task gradients would
 * only feed diagnostics. A weighting declares it with its `gramFree` flag.
 */
export function isGramFree(weighting: Weighting): boolean {
  return weighting.gramFree === true;
}

/** The K weights of a Gram-free method for the active tasks (its `weigh` sees only the size of M). */
export function gramFreeWeights(weighting: Weighting, active: readonly number[], omega: Float64Array, step: number): Float64Array {
  const k = active.length;
  const taskWeights = active.map((i) => omega[i] as number);
  const { weights } = weighting.weigh(toGramian({ rows: k, cols: k, data: new Float64Array(k * k) }), { step, taskWeights });
  const f = new Float64Array(omega.length);
  active.forEach((i, j) => {
    f[i] = weights[j] as number;
  });
  return f;
}

/** What one scalarised backward pass computed. */
export interface ScalarisedGradients {
  readonly losses: Float64Array;
  readonly active: readonly boolean[];
  /** False when an active task's loss is non-finite (no gradient was kept). */
  readonly finite: boolean;
  /** f over all K tasks (0 for inactive ones); empty when the step stopped before it. */
  readonly f: Float64Array;
  /** ∇(Σ_active f_i L_i) aligned with `xs`; `null` when a loss was non-finite or no task was active. */
  readonly grads: (tf.Tensor | undefined)[] | null;
}

/**
 * One forward and ONE backward of Σ_{i active} f_i L_i, where `coefficients` maps the losses
 * (read once) to f. Inactive tasks are left out of the sum, not multiplied by 0 (their loss may be NaN).
 */
export function scalarisedGradients(
  lossesFn: LossesFn, xs: readonly tf.Variable[], activeOf: ActiveTasks, coefficients: (losses: Float64Array, active: readonly number[]) => Float64Array,
): ScalarisedGradients {
  const out: { losses: Float64Array; active: readonly boolean[]; finite: boolean; f: Float64Array; any: boolean } = {
    losses: new Float64Array(0), active: [], finite: false, f: new Float64Array(0), any: false,
  };
  const { value, grads } = tf.engine().gradients(
    () => {
      const L = checkLosses(lossesFn());
      out.losses = readLosses(L);
      out.active = activeOf(L.length);
      out.finite = out.active.every((a, i) => !a || Number.isFinite(out.losses[i]));
      const idx = out.active.flatMap((a, i) => (a ? [i] : []));
      if (!out.finite || idx.length === 0) return tf.scalar(0);
      out.f = coefficients(out.losses, idx);
      out.any = true;
      const terms = idx.map((i) => tf.mul(L[i] as tf.Scalar, tf.scalar(out.f[i] as number)));
      return terms.length === 1 ? (terms[0] as tf.Tensor) : tf.addN(terms);
    },
    xs as tf.Variable[],
    undefined,
    true,
  );
  value.dispose();
  const got = grads.map((t) => (t === undefined || t === null ? undefined : t));
  if (!out.any) {
    tf.dispose(got.filter((t): t is tf.Tensor => t !== undefined));
    return { losses: out.losses, active: out.active, finite: out.finite, f: out.f, grads: null };
  }
  return { losses: out.losses, active: out.active, finite: out.finite, f: out.f, grads: got };
}
