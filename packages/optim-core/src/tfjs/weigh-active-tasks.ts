import type { AggregationInfo, Aggregator } from '../aggregators/aggregator';
import { InvalidOptionError } from '../errors';
import { toGramian } from '../gram/to-gramian';
import type { StepContext } from '../types';

/** The K-space outcome of one step, expanded back to all K tasks. */
export interface Decision {
  /** f over all K tasks (0 for dropped ones). */
  readonly f: Float64Array;
  /** ω over all K tasks. */
  readonly omega: Float64Array;
  /** The method's info; `diagnostics` index the active tasks, `diagnostics.droppedTasks` the others. */
  readonly info: AggregationInfo<object>;
  /** The K'×K' Gram of the active tasks (row-major). */
  readonly M: Float64Array;
  readonly active: readonly number[];
}

/**
 * Runs the method on the K'×K' Gram of the active tasks with their ω (float64, on the host) and
 * expands f back to all K tasks. The step's ω is always passed explicitly, restricted to the
 * active tasks, so that a method's configured K-long `weights` never meets a K'-task Gram.
 */
export function weighActiveTasks(
  aggregator: Aggregator<object>, M: Float64Array, active: readonly number[], omega: Float64Array, ctx: StepContext,
): Decision {
  const k = active.length;
  const K = omega.length;
  const gram = toGramian({ rows: k, cols: k, data: M });
  const { weights, info } = aggregator.weights(gram, { ...ctx, taskWeights: Array.from(active, (i) => omega[i] as number) });
  const f = new Float64Array(K);
  active.forEach((i, j) => {
    const w = weights[j] as number;
    if (!Number.isFinite(w)) throw new InvalidOptionError(`method ${aggregator.id} weights[${i}]`, 'a finite weight', w);
    f[i] = w;
  });
  const diagnostics = { ...info.diagnostics, droppedTasks: complementOf(K, active) };
  return { f, omega, info: { ...info, diagnostics }, M, active };
}

/** Indices i with mask[i] true. */
export function activeIndices(mask: readonly boolean[]): number[] {
  return mask.flatMap((a, i) => (a ? [i] : []));
}

/** The indices 0..K−1 that are not in `listed`. */
export function complementOf(K: number, listed: readonly number[]): number[] {
  return Array.from({ length: K }, (_, i) => i).filter((i) => !listed.includes(i));
}
