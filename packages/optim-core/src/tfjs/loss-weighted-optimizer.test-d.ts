import type * as tf from '@tensorflow/tfjs-core';
import { expectTypeOf } from 'vitest';
import type { LossWeightedOptimizer, LossWeightedOptimizerOptions, LossWeightedState, LossWeightedStepResult } from './loss-weighted-optimizer';
import type { SkipReason } from './multi-task-optimizer';
import type { RotoGradLosses, RotoGradOptimizer, RotoGradState, RotoGradStepResult } from './rotograd-optimizer';

declare const lw: LossWeightedOptimizer;
declare const rg: RotoGradOptimizer;
declare const losses: () => tf.Scalar[];

expectTypeOf(lw.step(losses, { epoch: 0, active: [true, false] })).toEqualTypeOf<LossWeightedStepResult>();
expectTypeOf<LossWeightedStepResult['skipped']>().toEqualTypeOf<SkipReason | null>();
expectTypeOf<LossWeightedStepResult['lossWeights']>().toEqualTypeOf<Float64Array | null>();
expectTypeOf(lw.getState()).toEqualTypeOf<LossWeightedState>();
expectTypeOf<RotoGradLosses['taskLoss']>().parameters.toEqualTypeOf<[tf.Tensor, number]>();
expectTypeOf(rg.step({ encode: () => ({}) as tf.Tensor, taskLoss: () => ({}) as tf.Scalar, tasks: 2 })).toEqualTypeOf<RotoGradStepResult>();
expectTypeOf(rg.getState()).toEqualTypeOf<RotoGradState>();
// @ts-expect-error the method is required
const missingMethod: LossWeightedOptimizerOptions = { inner: {} as tf.Optimizer };
void missingMethod;
// @ts-expect-error clipping takes 'none' | { value } | { norm }
const badClip: LossWeightedOptimizerOptions = { inner: {} as tf.Optimizer, method: 'uw', clip: { max: 1 } };
void badClip;
