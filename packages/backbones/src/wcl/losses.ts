import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import { pooledClsLoss } from '../blocks/pooled-cls-loss';
import type { TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import type { WclModel } from './model';

/** Options of {@link clusterContrastLoss}. */
export interface ClusterContrastOptions {
  /** τ of the logits `img·txtᵀ/τ`. */
  readonly temperature: number;
  /** SupCon's base temperature; the loss is scaled by τ / base (WCL: base 1). */
  readonly baseTemperature: number;
}

/**
 * WCL's weakly supervised contrastive loss (`ContraLoss`, image → text). With logits
 * `s_ij = img_i·txt_jᵀ/τ` and denominator weights `w_ij = 2` for off-diagonal pairs of the same
 * report cluster (hard negatives), 1 otherwise:
 * `L = −(τ/τ_base) · mean_i [s_ii − log Σ_j w_ij exp(s_ij)]`.
 * The released code subtracts the detached row maximum first; log-softmax is shift invariant,
 * and with unit vectors |s| ≤ 1/τ, so the shift is not needed for stability here.
 *
 * @param image L2-normalised image features `[B, p]`
 * @param text L2-normalised text features `[B, p]`
 * @param clusters cluster id per study `[B]` (int32)
 */
export function clusterContrastLoss(image: tf.Tensor2D, text: tf.Tensor2D, clusters: tf.Tensor1D, options: ClusterContrastOptions): tf.Scalar {
  const b = image.shape[0];
  const logits = tf.div(tf.matMul(image, text, false, true), options.temperature) as tf.Tensor2D;
  const same = tf.cast(tf.equal(tf.expandDims(clusters, 1), tf.expandDims(clusters, 0)), 'float32');
  const eye = tf.eye(b);
  const weights = tf.add(1, tf.sub(same, eye)) as tf.Tensor2D;
  const logDenominator = tf.log(tf.sum(tf.mul(tf.exp(logits), weights), 1));
  const diagonal = tf.sum(tf.mul(logits, eye), 1);
  const meanLogProb = tf.mean(tf.sub(diagonal, logDenominator));
  return tf.mul(meanLogProb, -options.temperature / options.baseTemperature) as tf.Scalar;
}

/** What {@link wclLosses} needs besides the model. */
export interface WclLossContext {
  readonly temperature: number;
}

/**
 * The `wcl` task losses from the visual tokens `[B, N, C]`: `lm`, R2Gen's masked NLL,
 * `contrast`, {@link clusterContrastLoss} on the projected mean encoder output and mean decoder
 * states (both from the same teacher-forced pass), and with `clsHead` `cls`, the multi-label BCE
 * on the mean token. Only the tasks in `wanted` are computed.
 */
export function wclLosses(model: WclModel, tokens: tf.Tensor3D, batch: TrainBatch, scope: ForwardScope, wanted: ReadonlySet<string>, ctx: WclLossContext): Record<string, tf.Scalar> {
  const losses: Record<string, tf.Scalar> = {};
  if (wanted.has('cls')) losses['cls'] = pooledClsLoss((pooled) => model.classify(pooled), tokens, batch, model.config.numLabels);
  if (!wanted.has('lm') && !wanted.has('contrast')) return losses;
  const pass = model.pass(tokens, batch.reportIds, scope);
  if (wanted.has('lm')) losses['lm'] = languageModelLoss(model.logits(pass.target), batch.reportIds, batch.reportMask);
  if (wanted.has('contrast')) {
    const clusters = batch.aux?.clusterId;
    if (clusters === undefined) throw new ShapeError('batch.aux.clusterId', `a [B] int32 tensor of report clusters (from the adapter's hostAux after prepare)`, 'undefined');
    const image = model.projectSource(pass.source);
    const text = model.projectTarget(pass.target, pass.targetMask);
    losses['contrast'] = clusterContrastLoss(image, text, clusters, { temperature: ctx.temperature, baseTemperature: 1 });
  }
  return losses;
}
