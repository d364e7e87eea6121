import * as tf from '@tensorflow/tfjs-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import { maskedSoftmaxCrossEntropy } from '../blocks/softmax-cross-entropy';
import { stopGradient } from '../blocks/stop-gradient';
import type { StepContext, TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import { createUniform, deriveSeed } from '../random/seed';
import type { DclConfig } from './config';
import { clsState, type DclModel } from './model';
import type { DclMomentum } from './momentum';

/** ITC temperature clamp of BLIP (`temp.clamp_(0.001, 0.5)`), applied where the temperature is read. */
export const TEMPERATURE_RANGE = [0.001, 0.5] as const;

/** Momentum-distillation weight α at a step: ramped linearly over `alphaRampSteps` in epoch 0 (BLIP ramps over the first epoch). */
export function alphaAt(config: Pick<DclConfig, 'alpha' | 'alphaRampSteps'>, step: number, epoch: number): number {
  if (epoch > 0 || config.alphaRampSteps === 0) return config.alpha;
  return config.alpha * Math.min(1, step / config.alphaRampSteps);
}

/**
 * BLIP's image–text contrastive loss with momentum distillation and queues: similarities of the
 * online features to the momentum features of the batch followed by the queue, targets
 * `α·softmax(momentum similarities) + (1 − α)·[identity | 0]`, loss `(i2t + t2i) / 2`.
 * @param image `[B, c]` unit online image features (and `text` alike)
 * @param imageAll `[B + Q, c]` momentum image features of the batch, then the image queue (constants; `textAll` alike)
 */
export function itcLoss(image: tf.Tensor2D, text: tf.Tensor2D, imageAll: tf.Tensor2D, textAll: tf.Tensor2D, temperature: tf.Scalar, alpha: number): tf.Scalar {
  const b = image.shape[0];
  const n = imageAll.shape[0];
  const identity = tf.concat([tf.eye(b), tf.zeros([b, n - b])], 1);
  const mImage = tf.slice(imageAll, [0, 0], [b, -1]);
  const mText = tf.slice(textAll, [0, 0], [b, -1]);
  const targetsI2T = tf.add(tf.mul(tf.softmax(tf.div(tf.matMul(mImage, textAll, false, true), temperature)), alpha), tf.mul(identity, 1 - alpha));
  const targetsT2I = tf.add(tf.mul(tf.softmax(tf.div(tf.matMul(mText, imageAll, false, true), temperature)), alpha), tf.mul(identity, 1 - alpha));
  const i2t = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(tf.div(tf.matMul(image, textAll, false, true), temperature)), stopGradient(targetsI2T)), 1)));
  const t2i = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(tf.div(tf.matMul(text, imageAll, false, true), temperature)), stopGradient(targetsT2I)), 1)));
  return tf.div(tf.add(i2t, t2i), 2) as tf.Scalar;
}

/**
 * BLIP's hard-negative sampling for ITM: for each text one other image, for each image one other
 * text, drawn ∝ `softmax(similarity) + 1e-4` with the matching pair excluded, from a generator
 * seeded by `(seed, 'dcl.itm.negatives')`. `simI2T` is `[B, B]` row-major (image i, text j).
 * @returns negImage[j] for text j, negText[i] for image i
 */
export function sampleHardNegatives(simI2T: Float32Array, b: number, seed: number): { negImage: Int32Array; negText: Int32Array } {
  const uniform = createUniform(deriveSeed(seed, 'dcl.itm.negatives'));
  const draw = (score: (row: number, col: number) => number, row: number): number => {
    let max = -Infinity;
    for (let c = 0; c < b; c++) max = Math.max(max, score(row, c));
    let z = 0;
    for (let c = 0; c < b; c++) z += Math.exp(score(row, c) - max);
    const w = Array.from({ length: b }, (_, c) => (c === row ? 0 : Math.exp(score(row, c) - max) / z + 1e-4));
    const total = w.reduce((a, x) => a + x, 0);
    let u = uniform() * total;
    for (let c = 0; c < b; c++) {
      if (c === row) continue;
      u -= w[c] as number;
      if (u <= 0) return c;
    }
    return row === b - 1 ? b - 2 : b - 1;
  };
  const negImage = Int32Array.from({ length: b }, (_, j) => draw((row, c) => simI2T[c * b + row] as number, j));
  const negText = Int32Array.from({ length: b }, (_, i) => draw((row, c) => simI2T[row * b + c] as number, i));
  return { negImage, negText };
}

/**
 * The `dcl` task losses of one forward pass. The knowledge-enhanced image embeddings (retrieval by
 * momentum image features, dynamic graph, fusion) feed every task; `only` trims the heads.
 * - `itc`: {@link itcLoss} against the momentum features and queues;
 * - `itm`: image-grounded encoder on 1 positive and 2 sampled hard negatives per sample, `itmHead`, cross-entropy;
 * - `lm`: the decoder's masked NLL (BLIP's `'a picture of '` prompt has no counterpart with the word tokenizer).
 */
export function dclLosses(model: DclModel, momentum: DclMomentum, batch: TrainBatch, ctx: StepContext, scope: ForwardScope, wanted: ReadonlySet<string>): Record<string, tf.Scalar> {
  const b = batch.images.shape[0];
  const retrieved = momentum.retrieve(batch.images);
  const embeds = model.fuse(model.imageTokens(batch.images, scope), retrieved, scope);
  const losses: Record<string, tf.Scalar> = {};
  const [lo, hi] = TEMPERATURE_RANGE;
  const temperature = tf.clipByValue(model.temperature as tf.Scalar, lo, hi);
  const itcFeatures = (): { image: tf.Tensor2D; text: tf.Tensor2D } => ({
    image: model.imageFeature(embeds),
    text: model.textFeature(clsState(model.textStates('text', batch.reportIds, batch.reportMask, undefined, scope))),
  });
  if (wanted.has('itc')) {
    const { image, text } = itcFeatures();
    const m = momentum.features(batch, retrieved);
    const imageAll = stopGradient(tf.concat([m.image, momentum.imageQueue], 0) as tf.Tensor2D);
    const textAll = stopGradient(tf.concat([m.text, momentum.textQueue], 0) as tf.Tensor2D);
    losses['itc'] = itcLoss(image, text, imageAll, textAll, temperature, alphaAt(model.config, ctx.step, ctx.epoch));
  }
  if (wanted.has('itm')) {
    const { image, text } = itcFeatures();
    const sims = stopGradient(tf.div(tf.matMul(image, text, false, true), temperature)).dataSync() as Float32Array;
    const { negImage, negText } = sampleHardNegatives(sims, b, ctx.seed);
    const pos = clsState(model.textStates('multimodal', batch.reportIds, batch.reportMask, embeds, scope));
    const textIndex = tf.tensor1d(Int32Array.from([...Array.from({ length: b }, (_, i) => i), ...negText]), 'int32');
    const imageIndex = tf.tensor1d(Int32Array.from([...negImage, ...Array.from({ length: b }, (_, i) => i)]), 'int32');
    const neg = clsState(model.textStates('multimodal', tf.gather(batch.reportIds, textIndex), tf.gather(batch.reportMask, textIndex), tf.gather(embeds, imageIndex), scope, '.neg'));
    const logits = model.itmHead!.apply(tf.concat([pos, neg], 0) as tf.Tensor2D);
    const labels = tf.tensor1d(Int32Array.from({ length: 3 * b }, (_, i) => (i < b ? 1 : 0)), 'int32');
    losses['itm'] = maskedSoftmaxCrossEntropy(logits, labels, tf.ones([3 * b]) as tf.Tensor1D);
  }
  if (wanted.has('lm')) {
    const t = batch.reportIds.shape[1];
    const inputs = tf.slice(batch.reportIds, [0, 0], [-1, t - 1]) as tf.Tensor2D;
    const states = model.textStates('decode', inputs, tf.slice(batch.reportMask, [0, 0], [-1, t - 1]) as tf.Tensor2D, embeds, scope);
    losses['lm'] = languageModelLoss(model.lmHead!.apply(states), batch.reportIds, batch.reportMask);
  }
  return losses;
}
