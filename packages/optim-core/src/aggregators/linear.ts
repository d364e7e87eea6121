import { InvalidOptionError } from '../errors';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkEnum, checkOptionKeys, checkWeightVector, resolveTaskWeights } from './options';

/** Options of linear scalarisation (mtl-methods.md §3.1). Give `reduction` or `weights`, not both. */
export interface LinearOptions {
  /** `sum` (w = 1, LibMTL's "EW") or `mean` (w = 1/K). Default `sum`. */
  readonly reduction?: 'sum' | 'mean';
  /** Fixed weights ω (finite, ≥ 0): the CAME-Grad baseline `weighted` with the backbone's loss weights. */
  readonly weights?: readonly number[];
}

/** Info of a linear step. */
export interface LinearInfo {
  readonly reduction: 'sum' | 'mean' | 'weighted';
}

/** Defaults of {@link createLinear}. */
export const LINEAR_DEFAULTS = Object.freeze({ reduction: 'sum' as const });

/**
 * Linear scalarisation: d = Σ w_i g_i with w = 1 (`sum`), 1/K (`mean`) or ω (`weights`). With
 * `weights`, a step context's `taskWeights` (scheduled loss weights) takes precedence, so that this
 * is exactly CAME-Grad's baseline g_joint.
 */
export function createLinear(options: LinearOptions = {}): Weighting<LinearInfo> {
  checkOptionKeys('linear', options, ['reduction', 'weights']);
  if (options.weights !== undefined && options.reduction !== undefined) {
    throw new InvalidOptionError('linear.reduction', 'absent when `weights` is given (weights imply a weighted sum)', options.reduction);
  }
  if (options.weights !== undefined) {
    const weights = checkWeightVector('linear.weights', options.weights);
    return defineWeighting<LinearInfo>({
      id: 'linear',
      gramFree: true,
      options: { weights: [...weights] },
      taskWeights: weights,
      weigh: (gram, ctx) => ({ weights: resolveTaskWeights(gram.rows, ctx, weights), info: { reduction: 'weighted' } }),
    });
  }
  const reduction = checkEnum('linear.reduction', options.reduction ?? LINEAR_DEFAULTS.reduction, ['sum', 'mean'] as const);
  return defineWeighting<LinearInfo>({
    id: 'linear',
    gramFree: true,
    options: { reduction },
    taskWeights: undefined,
    weigh: (gram) => ({
      weights: new Float64Array(gram.rows).fill(reduction === 'sum' ? 1 : 1 / gram.rows),
      info: { reduction },
    }),
  });
}
