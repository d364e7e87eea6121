import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from './adamw';
import { MultiTaskOptimizer } from './multi-task-optimizer';

/**
 * Registers {@link MultiTaskOptimizer} with tfjs's serialisation map under its fixed class name
 * `'CameGradMultiTaskOptimizer'` (and {@link AdamW} as `'CameGradAdamW'`), so that code deserialising optimizer configs by class name can
 * rebuild it. Explicit on purpose: importing this package has no side effects. Idempotent.
 */
export function registerCameOptimizers(): void {
  tf.serialization.registerClass(MultiTaskOptimizer);
  tf.serialization.registerClass(AdamW);
}
