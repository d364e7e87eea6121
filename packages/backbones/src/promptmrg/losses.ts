import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { languageModelLoss } from '../blocks/language-model-loss';
import type { TrainBatch } from '../contract';
import type { ForwardScope } from '../params/forward-scope';
import type { PromptMRGModel } from './model';
import type { ReportBank } from './report-bank';

/**
 * The `promptmrg` task losses from the patch tokens `[B, N, C]`:
 * - `lm`: the decoder's masked NLL over the report positions (the 14 prompt positions carry no
 *   loss), with the prompt built from the *reference* states (teacher forcing, as PromptMRG trains);
 * - `cls`: the logit-adjusted 4-state cross-entropy of the diagnosis branch.
 * Only the tasks in `wanted` are computed; neither depends on the other's outputs.
 */
export function promptmrgLosses(model: PromptMRGModel, bank: ReportBank, tokens: tf.Tensor3D, batch: TrainBatch, scope: ForwardScope, wanted: ReadonlySet<string>): Record<string, tf.Scalar> {
  const states = batch.aux?.labels14x4;
  if (states === undefined) throw new ShapeError('batch.aux.labels14x4', '[B, 14] state ids (promptmrg needs them for the prompts and the cls task)', 'undefined');
  const losses: Record<string, tf.Scalar> = {};
  if (wanted.has('lm')) {
    const inputs = tf.slice(batch.reportIds, [0, 0], [-1, batch.reportIds.shape[1] - 1]) as tf.Tensor2D;
    const memory = model.decoder.memory(tokens);
    const logits = model.decoder.decode(memory, model.decoder.promptIds(states), inputs, scope);
    losses['lm'] = languageModelLoss(logits, batch.reportIds, batch.reportMask);
  }
  if (wanted.has('cls')) losses['cls'] = model.cls.loss(model.classify(tokens, bank, scope), states);
  return losses;
}
