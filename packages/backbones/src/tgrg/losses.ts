import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import type { TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import { deriveSeed } from '../random/seed';
import { TOPICS } from './config';
import { gaussianKl, perturb, topicCrossEntropy } from './gaussian-topics';
import type { TgrgModel } from './model';
import { selectTopics } from './topic-selection';

/**
 * The `tgrg` task losses of one teacher-forced pass (TGRG `_forward` and its trainer):
 * - `lm`: masked NLL of `logit` at word positions 1…;
 * - `topic`: topic cross-entropy of the perturbed image posterior (μ detached) plus that of the
 *   perturbed text posterior, both with the prior raised to `priorPower`, against `aux.topics28`;
 * - `bow`: the bag-of-words plan, `logit1` at position 0 scored against every target token of the
 *   report with the LM criterion (the targets are the report's own tokens, so training only);
 * - `kl`: {@link gaussianKl} between the image Gaussian and the detached text mean.
 * The decoder is guided by the text posterior (teacher forcing, as TGRG trains). Every random draw
 * is keyed by `scope.seed` and a site name. `logPrior` is `[28]` log π.
 */
export function tgrgLosses(model: TgrgModel, batch: TrainBatch, logPrior: Float32Array, scope: ForwardScope, wanted: ReadonlySet<string>): Record<string, tf.Scalar> {
  const c = model.config;
  const losses: Record<string, tf.Scalar> = {};
  const prior = tf.tensor1d(logPrior);
  const image = model.encodeImage(batch.images, scope);
  const inputs = tf.slice(batch.reportIds, [0, 0], [-1, batch.reportIds.shape[1] - 1]) as tf.Tensor2D;
  const thetaText = model.textTheta(inputs, scope);
  const noisy = (theta: tf.Tensor2D, sigma: tf.Variable, site: string): tf.Tensor2D =>
    perturb(theta, sigma as tf.Tensor1D, c.noiseScale, c.noiseSamples, deriveSeed(scope.seed, `tgrg.noise.${site}`));
  if (wanted.has('topic') || wanted.has('kl')) {
    const thetaImage = model.imageTheta(image.encoded, scope);
    if (wanted.has('topic')) {
      const targets = batch.aux?.topics28;
      if (targets === undefined || targets.shape[1] !== TOPICS) {
        throw new ShapeError('batch.aux.topics28', `a [B, ${TOPICS}] tensor (the adapter's hostAux makes it from each training report's labels)`, targets === undefined ? 'undefined' : `[${targets.shape.join(', ')}]`);
      }
      const imagePosterior = model.topics.logits(noisy(thetaImage, model.imageSigma, 'imageClassify'), prior, c.priorPower, true);
      const textPosterior = model.topics.logits(noisy(thetaText, model.textSigma, 'textClassify'), prior, c.priorPower, false);
      losses['topic'] = tf.add(topicCrossEntropy(imagePosterior, targets), topicCrossEntropy(textPosterior, targets));
    }
    if (wanted.has('kl')) losses['kl'] = gaussianKl(thetaImage, thetaText, model.imageSigma as tf.Tensor1D, model.textSigma as tf.Tensor1D, c.noiseScale);
  }
  if (wanted.has('lm') || wanted.has('bow')) {
    const thetaGuide = noisy(thetaText, model.textSigma, 'textInfer');
    const selection = selectTopics(model.topics.logits(thetaGuide, prior, 1, false), c.topK);
    const out = model.decode(model.globalToken(thetaGuide, scope), model.topicFeature(selection), inputs, model.memories(selection, image, scope), scope);
    const t = inputs.shape[1];
    if (wanted.has('lm')) losses['lm'] = languageModelLoss(model.logit.apply(tf.slice(out, [0, 1, 0], [-1, -1, -1])), batch.reportIds, batch.reportMask);
    if (wanted.has('bow')) {
      const plan = model.bowLogit.apply(tf.slice(out, [0, 0, 0], [-1, 1, -1]));
      losses['bow'] = languageModelLoss(tf.tile(plan, [1, t, 1]), batch.reportIds, batch.reportMask);
    }
  }
  return losses;
}
