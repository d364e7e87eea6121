import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import type { AuxInputs, TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import { OBSERVATIONS } from '../promptmrg/cls-prompt-branch';
import type { ReportBank } from '../promptmrg/report-bank';
import { alignmentLoss, attentionIoU } from './alignment-loss';
import type { FusedMemory, RevtafModel } from './model';
import { rankLoss, rankTargets } from './rank-loss';
import { sentenceMask } from './sentence-memory';

/** What the losses need besides the model, the tokens and the batch. */
export interface RevtafLossContext {
  readonly scope: ForwardScope;
  readonly wanted: ReadonlySet<string>;
  readonly bank: ReportBank;
  /** Region entity embeddings `[R, retrievalDim]`. */
  readonly regionEntities: tf.Tensor2D;
}

/**
 * The retrieved sentences of a batch: the host's training neighbours (`aux.retrievedMemory`, the
 * nearest-label training study) when present, else the nearest queued training study by the
 * retrieval embedding, as at inference.
 */
export function retrievedSentences(model: RevtafModel, tokens: tf.Tensor3D, aux: AuxInputs | undefined): { sentences: tf.Tensor3D; mask: tf.Tensor2D } {
  const c = model.config;
  const given = aux?.retrievedMemory;
  if (given !== undefined && (given.shape[0] !== tokens.shape[0] || given.shape[1] !== c.maxSentences || given.shape[2] !== c.retrievalDim)) {
    throw new ShapeError('batch.aux.retrievedMemory', `[${tokens.shape[0]}, ${c.maxSentences}, ${c.retrievalDim}] (maxSentences × retrievalDim sentence embeddings)`, `[${given.shape.join(', ')}]`);
  }
  const sentences = given ?? model.queue.nearest(model.hnn.apply(model.regionSummary(tokens)), model.hnn);
  return { sentences, mask: sentenceMask(sentences) };
}

function states(batch: TrainBatch): tf.Tensor2D {
  const s = batch.aux?.labels14x4;
  if (s === undefined || s.shape[1] !== OBSERVATIONS) {
    throw new ShapeError('batch.aux.labels14x4', `[B, ${OBSERVATIONS}] state ids (prompts, cls and rank need them)`, s === undefined ? 'undefined' : `[${s.shape.join(', ')}]`);
  }
  return s;
}

/**
 * REVTAF's task losses from the patch tokens `[B, N, C]` (the shared representation):
 * - `lm`: the prompted decoder over the OT-fused memory, prompts from the reference states;
 * - `cls`: PromptMRG's logit-adjusted 4-state cross-entropy;
 * - `align`: `mean(1 − σ(cos)·IoU)` between region and sentence embeddings (IoU constant);
 * - `rank`: cross-entropy over negative hyperbolic distances towards the nearest-label study.
 */
export function revtafLosses(model: RevtafModel, tokens: tf.Tensor3D, batch: TrainBatch, ctx: RevtafLossContext): Record<string, tf.Scalar> {
  const { wanted, scope } = ctx;
  const target = states(batch);
  const losses: Record<string, tf.Scalar> = {};
  let fused: FusedMemory | undefined;
  let mask: tf.Tensor2D | undefined;
  if (wanted.has('lm') || wanted.has('align')) {
    const retrieved = retrievedSentences(model, tokens, batch.aux);
    mask = retrieved.mask;
    fused = model.fuse(tokens, ctx.regionEntities, retrieved.sentences, mask);
  }
  if (wanted.has('lm') && fused !== undefined) {
    const inputs = tf.slice(batch.reportIds, [0, 0], [-1, batch.reportIds.shape[1] - 1]) as tf.Tensor2D;
    const logits = model.decoder.decode(model.decoder.memory(fused.tokens), model.decoder.promptIds(target), inputs, scope);
    losses['lm'] = languageModelLoss(logits, batch.reportIds, batch.reportMask);
  }
  if (wanted.has('cls')) losses['cls'] = model.cls.loss(model.classify(tokens, ctx.bank, scope), target);
  if (wanted.has('align') && fused !== undefined && mask !== undefined) {
    const iou = attentionIoU(fused.regionAttention, fused.sentenceAttention, model.config.alignThreshold);
    losses['align'] = alignmentLoss(fused.regionText, fused.sentences, iou, mask);
  }
  if (wanted.has('rank')) {
    const z = model.hnn.apply(model.regionSummary(tokens));
    const distances = model.hnn.distance(tf.expandDims(z, 1), tf.expandDims(z, 0)) as tf.Tensor2D;
    const b = tokens.shape[0];
    losses['rank'] = rankLoss(distances, rankTargets(target.dataSync() as Int32Array, b, OBSERVATIONS));
  }
  return losses;
}
