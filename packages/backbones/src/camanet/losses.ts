import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import { multiLabelBceLoss } from '../blocks/multi-label-bce';
import type { VisualFeatures } from '../blocks/visual-extractor';
import type { TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import { attentionConsistencyLoss } from './attention-consistency';
import { CamanetModel } from './model';

function labelsOf(batch: TrainBatch, model: CamanetModel): tf.Tensor2D {
  const labels = batch.aux?.labels14;
  if (labels === undefined) throw new ShapeError('batch.aux.labels14', `a [B, ${model.config.numLabels}] tensor (bce and attn_mse need the reference labels)`, 'undefined');
  return labels;
}

/** 1 on decoder inputs that are words, with position 0 (BOS) always on: CAMANet's `seq_mask`. */
function decoderInputMask(inputs: tf.Tensor2D): tf.Tensor2D {
  const keep = tf.cast(tf.greater(inputs, 0), 'float32');
  return tf.concat([tf.onesLike(tf.slice(keep, [0, 0], [-1, 1])), tf.slice(keep, [0, 1], [-1, -1])], 1) as tf.Tensor2D;
}

/**
 * The `camanet` task losses from the visual features:
 * - `lm`: R2Gen's masked NLL of the teacher-forced decoder;
 * - `bce`: multi-label BCE of the head on the pooled feature against `aux.labels14`;
 * - `attn_mse`: the attention-consistency MSE ({@link attentionConsistencyLoss}) between the
 *   probed decoder layer's cross-attention and the constant foreground map, over samples with ≥ 1
 *   positive reference label.
 * Only the tasks in `wanted` are computed; a task's value does not depend on which others are.
 */
export function camanetLosses(model: CamanetModel, features: VisualFeatures, batch: TrainBatch, scope: ForwardScope, wanted: ReadonlySet<string>): Record<string, tf.Scalar> {
  const losses: Record<string, tf.Scalar> = {};
  if (wanted.has('bce')) losses['bce'] = multiLabelBceLoss(model.classify(features.pooled), labelsOf(batch, model));
  if (!wanted.has('lm') && !wanted.has('attn_mse')) return losses;
  const { encoded, foreMap } = model.encode(features, scope);
  const inputs = tf.slice(batch.reportIds, [0, 0], [-1, batch.reportIds.shape[1] - 1]) as tf.Tensor2D;
  const pass = model.decode(CamanetModel.patchMemory(encoded), inputs, scope, !wanted.has('lm'));
  if (wanted.has('lm')) {
    if (pass.out === undefined) throw new Error('came-grad internal invariant violated: lm without the decoder output');
    losses['lm'] = languageModelLoss(model.logit.apply(pass.out), batch.reportIds, batch.reportMask);
  }
  if (wanted.has('attn_mse')) {
    const [b, , d] = encoded.shape;
    const anchorIndex = model.config.vtacFirstPatchToken ? 1 : 0;
    losses['attn_mse'] = attentionConsistencyLoss({
      probs: pass.probs,
      wordEmbeddings: pass.embedded,
      anchor: tf.reshape(tf.slice(encoded, [0, anchorIndex, 0], [-1, 1, -1]), [b, d]),
      seqMask: decoderInputMask(inputs),
      foreMap,
      labels: labelsOf(batch, model),
      topk: model.config.topk,
    });
  }
  return losses;
}
