import type * as tf from '@tensorflow/tfjs-core';
import { expectTypeOf } from 'vitest';
import type { MultiTaskOptimizer, MultiTaskStepResult, SkipReason } from './multi-task-optimizer';
import type { MultiTaskOptimizerOptions } from './multi-task-options';
import type { RepresentationLosses } from './representation';

declare const opt: MultiTaskOptimizer;
declare const losses: () => tf.Scalar[];

expectTypeOf(opt.step(losses)).toEqualTypeOf<MultiTaskStepResult>();
expectTypeOf(opt.step({ encode: () => ({}) as tf.Tensor, heads: () => [] as tf.Scalar[] })).toEqualTypeOf<MultiTaskStepResult>();
expectTypeOf<MultiTaskStepResult['skipped']>().toEqualTypeOf<SkipReason | null>();
expectTypeOf<MultiTaskStepResult['weights']>().toEqualTypeOf<Float64Array | null>();
expectTypeOf<RepresentationLosses['heads']>().parameter(0).toEqualTypeOf<tf.Tensor>();
expectTypeOf(opt.learningRate).toEqualTypeOf<number | undefined>();

// Options are one typed object: the inner optimizer is required, the rest are literal unions.
expectTypeOf<MultiTaskOptimizerOptions['inner']>().toEqualTypeOf<tf.Optimizer>();
expectTypeOf<NonNullable<MultiTaskOptimizerOptions['paramScope']>>().toEqualTypeOf<'all' | 'shared'>();
expectTypeOf<NonNullable<MultiTaskOptimizerOptions['forward']>>().toEqualTypeOf<'once' | 'per-task'>();
// @ts-expect-error `inner` is required
const missingInner: MultiTaskOptimizerOptions = { paramScope: 'all' };
void missingInner;
// @ts-expect-error clipping takes 'none' | { value } | { norm }
const badClip: MultiTaskOptimizerOptions = { inner: {} as tf.Optimizer, clip: { max: 1 } };
void badClip;
