import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import type { TrainBatch } from '../contract';
import { multiLabelBceLoss } from './multi-label-bce';

/**
 * The `cls` task of the R2Gen family's multi-label head (r2gen, wcl): BCE of `classify` on the mean
 * visual token against `batch.aux.labels14`.
 * @throws ShapeError when the batch carries no labels
 */
export function pooledClsLoss(classify: (pooled: tf.Tensor2D) => tf.Tensor2D, tokens: tf.Tensor3D, batch: TrainBatch, numLabels: number): tf.Scalar {
  const labels = batch.aux?.labels14;
  if (labels === undefined) throw new ShapeError('batch.aux.labels14', `a [B, ${numLabels}] tensor (the cls task needs labels)`, 'undefined');
  return multiLabelBceLoss(classify(tf.mean(tokens, 1) as tf.Tensor2D), labels);
}
