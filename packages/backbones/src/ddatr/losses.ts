import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import type { TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import { logitAdjustedStateLoss } from './logit-adjusted-loss';
import { DDATR_CLASSES, type DDaTRModel } from './model';
import type { PriorLabelBank } from './prior-labels';

/** What the losses need besides the model and the batch. */
export interface DDaTRLossContext {
  readonly scope: ForwardScope;
  /** Tasks to compute. */
  readonly wanted: ReadonlySet<string>;
  /** Log base probabilities `[14]` of the logit adjustment. */
  readonly logBase: tf.Tensor1D;
  /** Labels of the prior reports. */
  readonly priorLabels: PriorLabelBank;
}

/**
 * The shared representation `h` of both tasks: the current-stream tokens `[B, N, c]` with the
 * prior stream's pooled feature appended as one more row, `[B, N + 1, c]`.
 */
export function splitShared(h: tf.Tensor3D): { tokens: tf.Tensor3D; priorPooled: tf.Tensor2D } {
  const [b, n1, c] = h.shape;
  return {
    tokens: tf.slice(h, [0, 0, 0], [b, n1 - 1, c]),
    priorPooled: tf.reshape(tf.slice(h, [0, n1 - 1, 0], [b, 1, c]), [b, c]),
  };
}

function currentStates(batch: TrainBatch): tf.Tensor2D {
  const states = batch.aux?.labels14x4;
  if (states === undefined || states.shape[1] !== DDATR_CLASSES) {
    throw new ShapeError('batch.aux.labels14x4', `a [B, ${DDATR_CLASSES}] tensor of states (the prompts and cls_head1 need them)`, states === undefined ? 'undefined' : `[${states.shape.join(', ')}]`);
  }
  return states;
}

// The prior head's targets and sample mask; samples without a (labelled) prior are masked out.
function priorTargets(batch: TrainBatch, bank: PriorLabelBank): { states: tf.Tensor2D; found: tf.Tensor1D } {
  const b = batch.images.shape[0];
  const { priorReportIds: ids, priorReportMask: mask, hasProgress } = batch.aux ?? {};
  if (ids === undefined || mask === undefined) return { states: tf.zeros([b, DDATR_CLASSES], 'int32'), found: tf.zeros([b]) };
  const flags = hasProgress === undefined ? new Float32Array(b).fill(1) : (hasProgress.dataSync() as Float32Array);
  const t = ids.shape[1];
  const hit = bank.lookup(ids.dataSync() as Int32Array, mask.dataSync() as Float32Array, flags, t);
  return { states: tf.tensor2d(hit.states, [b, DDATR_CLASSES], 'int32'), found: tf.tensor1d(hit.found) };
}

/**
 * DDaTR's task losses from the shared representation (see {@link splitShared}):
 * - `lm`: masked NLL of the prompt decoder, teacher-forced with the reference states as prompts;
 * - `cls_cur`: logit-adjusted 4-way CE of `cls_head1` on the current pooled feature;
 * - `cls_prior`: the same for `cls_head2` on the prior pooled feature against the prior report's
 *   labels, over the studies that have a (labelled) prior;
 * - `cls` = `cls_cur + cls_prior` (the CAME-Grad repository's single task).
 */
export function ddatrLosses(model: DDaTRModel, h: tf.Tensor3D, batch: TrainBatch, ctx: DDaTRLossContext): Record<string, tf.Scalar> {
  const { tokens, priorPooled } = splitShared(h);
  const { wanted, scope, logBase } = ctx;
  const losses: Record<string, tf.Scalar> = {};
  if (wanted.has('lm')) {
    const memory = model.decoder.memory(tokens);
    const inputs = tf.slice(batch.reportIds, [0, 0], [-1, batch.reportIds.shape[1] - 1]) as tf.Tensor2D;
    losses['lm'] = languageModelLoss(model.decoder.logits(memory, currentStates(batch), inputs, scope), batch.reportIds, batch.reportMask);
  }
  const needCur = wanted.has('cls') || wanted.has('cls_cur');
  const needPrior = wanted.has('cls') || wanted.has('cls_prior');
  const cur = needCur ? logitAdjustedStateLoss(model.stateLogits(model.clsHead1, tf.mean(tokens, 1)), currentStates(batch), logBase) : undefined;
  let prior: tf.Scalar | undefined;
  if (needPrior) {
    const { states, found } = priorTargets(batch, ctx.priorLabels);
    prior = logitAdjustedStateLoss(model.stateLogits(model.clsHead2, priorPooled), states, logBase, found);
  }
  if (wanted.has('cls') && cur !== undefined && prior !== undefined) losses['cls'] = tf.add(cur, prior);
  if (wanted.has('cls_cur') && cur !== undefined) losses['cls_cur'] = cur;
  if (wanted.has('cls_prior') && prior !== undefined) losses['cls_prior'] = prior;
  return losses;
}
