import * as tf from '@tensorflow/tfjs-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import { pooledClsLoss } from '../blocks/pooled-cls-loss';
import type { TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import type { R2GenModel } from './model';

/**
 * The `r2gen` task losses from the visual tokens `[B, N, C]`: `lm`, R2Gen's masked NLL of the
 * teacher-forced decoder (inputs `ids[:, :-1]`), and `cls`, the multi-label BCE of the head on the
 * mean token. Only the tasks in `wanted` are computed; each depends on nothing the others compute.
 */
export function r2genLosses(model: R2GenModel, tokens: tf.Tensor3D, batch: TrainBatch, scope: ForwardScope, wanted: ReadonlySet<string>): Record<string, tf.Scalar> {
  const losses: Record<string, tf.Scalar> = {};
  if (wanted.has('lm')) {
    const memory = model.encode(tokens, scope);
    const inputs = tf.slice(batch.reportIds, [0, 0], [-1, batch.reportIds.shape[1] - 1]) as tf.Tensor2D;
    losses['lm'] = languageModelLoss(model.decode(memory, inputs, scope), batch.reportIds, batch.reportMask);
  }
  if (wanted.has('cls')) losses['cls'] = pooledClsLoss((pooled) => model.classify(pooled), tokens, batch, model.config.numLabels);
  return losses;
}
