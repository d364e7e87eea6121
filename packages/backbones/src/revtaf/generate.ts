import * as tf from '@tensorflow/tfjs-core';
import type { GenerateOptions } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import { generateIds } from '../promptmrg/generate';
import type { ReportBank } from '../promptmrg/report-bank';
import type { RevtafModel } from './model';
import { sentenceMask } from './sentence-memory';

/**
 * REVTAF inference: the classifier's argmax states become the prompt; the retrieval embedding of
 * the image's region summary finds the nearest queued training study, whose report sentences are
 * fused with the image tokens by OT attention; then beam search. Neither the reference report
 * nor its labels are read. The caller owns the returned `clsProbs` `[B, 14]`.
 */
export function generateReports(model: RevtafModel, bank: ReportBank, regionEntities: tf.Tensor2D, images: tf.Tensor5D, opts: GenerateOptions, eos: number): { ids: number[][]; clsProbs: tf.Tensor2D } {
  const { memory, prompt, clsProbs } = tf.tidy(() => {
    const tokens = model.visualTokens(images, INFERENCE_SCOPE);
    const logits = model.classify(tokens, bank, INFERENCE_SCOPE);
    const sentences = model.queue.nearest(model.hnn.apply(model.regionSummary(tokens)), model.hnn);
    const fused = model.fuse(tokens, regionEntities, sentences, sentenceMask(sentences));
    return {
      memory: model.decoder.memory(fused.tokens),
      prompt: model.decoder.promptIds(model.cls.predictStates(logits)),
      clsProbs: model.cls.positiveProbs(logits),
    };
  });
  try {
    return { ids: generateIds(model.decoder, memory, prompt, opts, eos), clsProbs };
  } catch (error) {
    clsProbs.dispose();
    throw error;
  } finally {
    tf.dispose([memory, prompt]);
  }
}
