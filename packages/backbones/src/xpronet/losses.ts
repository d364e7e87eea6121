import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import { multiLabelBceLoss } from '../blocks/multi-label-bce';
import type { TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import type { XProNetModel } from './model';
import { prototypeContrastLoss } from './prototype-contrast-loss';

function maskedMean(x: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const m = tf.expandDims(mask, 2);
  return tf.div(tf.sum(tf.mul(x, m), 1), tf.sum(m, 1)) as tf.Tensor2D;
}

/**
 * The `xpronet` task losses from the visual features. Training reads the reference labels
 * (`aux.labels14`, binary) to select each study's prototypes, as the original does:
 * - `lm`: R2Gen's masked NLL of the teacher-forced decoder over the fused embeddings;
 * - `proto_img`: {@link prototypeContrastLoss} on the mean prototype response to the visual tokens;
 * - `proto_txt`: the same on the mean response to the embedded words (non-padding positions);
 * - `cls`: multi-label BCE of the label classifier on the pooled visual feature.
 * Only the tasks in `wanted` are computed, and only the parts of the pass they need.
 */
export function xpronetLosses(model: XProNetModel, tokens: tf.Tensor3D, pooled: tf.Tensor2D, batch: TrainBatch, scope: ForwardScope, wanted: ReadonlySet<string>): Record<string, tf.Scalar> {
  const labels = batch.aux?.labels14;
  const classes = model.config.numClasses;
  if (labels === undefined || labels.shape[1] !== classes) {
    throw new ShapeError('batch.aux.labels14', `a [B, ${classes}] tensor of binary labels (they select the prototypes)`, labels === undefined ? 'undefined' : `[${labels.shape.join(', ')}]`);
  }
  const losses: Record<string, tf.Scalar> = {};
  const contrast = { margin: model.config.margin, alpha: model.config.alpha };
  const mask = model.prototypeMask(labels);
  const needsText = wanted.has('lm') || wanted.has('proto_txt');
  const image = wanted.has('lm') || wanted.has('proto_img') ? model.imageSide(tokens, mask, scope) : undefined;
  const inputs = tf.slice(batch.reportIds, [0, 0], [-1, batch.reportIds.shape[1] - 1]) as tf.Tensor2D;
  const text = needsText ? model.textSide(inputs, mask, scope) : undefined;
  if (wanted.has('lm') && image !== undefined && text !== undefined) {
    const logits = model.decode(model.encode(image.fused, scope), text, scope);
    losses['lm'] = languageModelLoss(logits, batch.reportIds, batch.reportMask);
  }
  if (wanted.has('proto_img') && image !== undefined) losses['proto_img'] = prototypeContrastLoss(tf.mean(image.response, 1) as tf.Tensor2D, labels, contrast);
  if (wanted.has('proto_txt') && text !== undefined) losses['proto_txt'] = prototypeContrastLoss(maskedMean(text.response, text.keep), labels, contrast);
  if (wanted.has('cls')) losses['cls'] = multiLabelBceLoss(model.classify(pooled), labels);
  return losses;
}
