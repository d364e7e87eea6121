import type * as tf from '@tensorflow/tfjs-core';
import type { BackboneAdapter } from '@came-grad/backbones';
import { createWeighting, getMethod } from '@came-grad/optim-core';
import type { Weighting } from '@came-grad/optim-core';
import { AdamW, MultiTaskOptimizer } from '@came-grad/optim-core/tfjs';
import { CliError } from '../cli-error';
import type { TrainOptions } from './train-options';

/**
 * The method of a run. Methods that take the backbone's loss weights ω as an option (`linear`,
 * `came-grad`) get the adapter's defaults; the per-step ω (schedules) reaches every method
 * through the step context, where their diagnostics read it.
 */
export function createRunWeighting(options: TrainOptions, adapter: BackboneAdapter): Weighting {
  let entry;
  try {
    entry = getMethod(options.optimizer);
  } catch (error) {
    throw new CliError(`--optimizer: ${(error as Error).message}`);
  }
  const omega = adapter.tasks.map((t) => t.weight);
  const methodOptions = entry.taskWeighted && options.optimizerOptions['weights'] === undefined
    ? { ...options.optimizerOptions, weights: omega }
    : options.optimizerOptions;
  try {
    return createWeighting(options.optimizer, methodOptions);
  } catch (error) {
    throw new CliError(`--optimizer-options: ${(error as Error).message}`);
  }
}

/**
 * AdamW over the adapter's parameter groups (R2Gen's lr_ve/lr_ed split becomes per-group
 * learning-rate scales relative to the largest group rate): the one optimizer every method drives.
 */
export function createInnerOptimizer(options: TrainOptions, adapter: BackboneAdapter): AdamW {
  const groups = adapter.paramGroups ?? [];
  const topLr = Math.max(...groups.map((g) => g.lr), 0);
  return new AdamW({
    learningRate: options.lr,
    weightDecay: options.weightDecay,
    groups: groups.map((g) => ({
      name: g.name,
      variables: g.vars.map((v) => v.name),
      lrScale: topLr > 0 ? g.lr / topLr : 1,
      weightDecay: options.weightDecay,
    })),
  });
}

/** The variables a run trains, in the adapter's order: trainable and not frozen. */
export function trainedVariables(adapter: BackboneAdapter): tf.Variable[] {
  const frozen = new Set((adapter.frozenParameters ?? []).map((v) => v.name));
  return adapter.parameters.map((p) => p.variable).filter((v) => v.trainable && !frozen.has(v.name));
}

/** An aggregator's run: AdamW wrapped in the multi-task optimizer. */
export function createAggregatorOptimizer(options: TrainOptions, adapter: BackboneAdapter): MultiTaskOptimizer {
  return new MultiTaskOptimizer({
    inner: createInnerOptimizer(options, adapter),
    method: createRunWeighting(options, adapter),
    variables: trainedVariables(adapter),
    paramScope: options.paramScope,
    ...(options.paramScope === 'shared' ? { sharedVariables: adapter.sharedParameters } : {}),
    clip: options.clip,
    diagnostics: options.diagnostics,
  });
}
