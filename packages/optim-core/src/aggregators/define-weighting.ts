import { ShapeError } from '../errors';
import type { Gramian, StepContext, Weighting, WeightingOutput } from '../types';

/** What a method file supplies to {@link defineWeighting}. */
export interface WeightingSpec<Info extends object> {
  /** The registry id, a hard-coded string (never `constructor.name`). */
  readonly id: string;
  /** The options exactly as the user gave them (after validation), for `toConfig()`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** ω used when the step context gives none, or undefined. */
  readonly taskWeights: readonly number[] | undefined;
  /** True when the weights never depend on M (see `Weighting.gramFree`). Default false. */
  readonly gramFree?: boolean;
  /** The pure map. `gram` is validated; ω-dependent methods read ctx via `resolveTaskWeights`. */
  readonly weigh: (gram: Gramian, ctx: StepContext | undefined) => WeightingOutput<Info>;
}

/**
 * Builds a frozen {@link Weighting} from a method's pure K-space function. `toConfig()` returns a deep
 * copy of the options, so `createWeighting(c.id, c.options)` rebuilds an identical weighting, and
 * `toString()` is `id(options-as-JSON)`. If the method has default task weights, their length must
 * match K at every call (`ShapeError` otherwise).
 */
export function defineWeighting<Info extends object>(spec: WeightingSpec<Info>): Weighting<Info> {
  const options = Object.freeze(structuredClone(spec.options) as Record<string, unknown>);
  const json = JSON.stringify(options);
  return Object.freeze({
    id: spec.id,
    taskWeights: spec.taskWeights,
    gramFree: spec.gramFree === true,
    weigh(gram: Gramian, ctx?: StepContext): WeightingOutput<Info> {
      const tw = spec.taskWeights;
      if (tw !== undefined && ctx?.taskWeights === undefined && tw.length !== gram.rows) {
        throw new ShapeError(`${spec.id}.weights`, `length ${gram.rows} (one per task of this Gram matrix)`, `length ${tw.length}`);
      }
      return spec.weigh(gram, ctx);
    },
    toConfig: () => ({ id: spec.id, options: structuredClone(options) as Record<string, unknown> }),
    toString: () => `${spec.id}(${json === '{}' ? '' : json})`,
  });
}
