import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import { Linear } from '../blocks/linear';
import { stopGradient } from '../blocks/stop-gradient';
import type { CorpusStudy } from '../contract';
import type { ParameterStore } from '../params/parameter-store';
import { logitAdjustedCrossEntropy, POSITIVE_STATE } from './logit-adjusted-loss';

/** Observations of the classifier (the 14 CheXpert labels; PromptMRG adds 4 diseases the datasets here do not label). */
export const OBSERVATIONS = 14;
/** States per observation: {blank, positive, negative, uncertain} (`[BLA] [POS] [NEG] [UNC]`). */
export const STATES = 4;

/**
 * Per-observation frequency of positive reports (CheXpert code 1) in a training split, divided by
 * its maximum (the scale `onValidation` re-estimates to), floored at `floor`. Studies without
 * labels are skipped; with none at all every prior is 1 (no adjustment).
 */
export function positiveFrequencies(studies: readonly CorpusStudy[], floor: number): number[] {
  const counts = new Array<number>(OBSERVATIONS).fill(0);
  let labelled = 0;
  for (const s of studies) {
    if (s.labels14 === undefined) continue;
    labelled++;
    for (let c = 0; c < OBSERVATIONS; c++) if (s.labels14[c] === 1) counts[c] = (counts[c] as number) + 1;
  }
  const max = Math.max(...counts);
  if (labelled === 0 || max === 0) return new Array<number>(OBSERVATIONS).fill(1);
  return counts.map((c) => Math.max(c / max, floor));
}

/**
 * PromptMRG's diagnosis branch: a linear head to 14 × 4 state logits over the fused feature,
 * trained with the logit-adjusted cross-entropy against `basePriors` (a frozen variable, so it is
 * checkpointed with the weights), whose argmax states become the decoder's prompt tokens.
 */
export class ClassificationPromptBranch {
  readonly head: Linear;
  /** Base probability of a positive finding per observation, `[14]`; never trained. */
  readonly basePriors: tf.Variable;

  /** Creates `<prefix>.head` and the frozen `<prefix>.basePriors` (ones). */
  constructor(store: ParameterStore, readonly prefix: string, readonly inDim: number, readonly floor: number) {
    this.head = new Linear(store, `${prefix}.head`, inDim, OBSERVATIONS * STATES);
    this.basePriors = store.add(`${prefix}.basePriors`, [OBSERVATIONS], { kind: 'ones' }, false);
  }

  /** Raw state logits `[B, 14, 4]`. */
  logits(features: tf.Tensor2D): tf.Tensor3D {
    return tf.reshape(this.head.apply(features), [features.shape[0], OBSERVATIONS, STATES]);
  }

  /** The logit-adjusted loss against `[B, 14]` state targets. */
  loss(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
    return logitAdjustedCrossEntropy(logits, targets, tf.log(stopGradient(this.basePriors as tf.Tensor1D)));
  }

  /** Predicted states `[B, 14]` int32 (argmax of the raw logits: no adjustment at inference). */
  predictStates(logits: tf.Tensor3D): tf.Tensor2D {
    return tf.cast(tf.argMax(logits, 2), 'int32') as tf.Tensor2D;
  }

  /** Probability of the positive state, `[B, 14]`. */
  positiveProbs(logits: tf.Tensor3D): tf.Tensor2D {
    return tf.reshape(tf.slice(tf.softmax(logits), [0, 0, POSITIVE_STATE], [-1, -1, 1]), [logits.shape[0], OBSERVATIONS]);
  }

  /**
   * Sets the priors (each floored at `floor`).
   * @throws InvalidOptionError when there are not 14 finite non-negative values
   */
  setPriors(values: readonly number[], field = 'basePriors'): void {
    if (values.length !== OBSERVATIONS) throw new InvalidOptionError(field, `${OBSERVATIONS} values`, values.length);
    values.forEach((v, i) => {
      if (!(Number.isFinite(v) && v >= 0)) throw new InvalidOptionError(`${field}[${i}]`, 'a finite number ≥ 0', v);
    });
    const next = tf.tensor1d(values.map((v) => Math.max(v, this.floor)), 'float32');
    this.basePriors.assign(next);
    next.dispose();
  }

  /**
   * PromptMRG's re-estimation after a validation pass: the mean predicted positive probability on
   * reference-positive studies, divided by its maximum. An observation with no reference positive
   * (a non-finite mean) keeps its prior; an all-zero vector leaves every prior unchanged.
   * @throws InvalidOptionError when there are not 14 values
   */
  reestimate(meanPositiveProb: readonly number[]): void {
    if (meanPositiveProb.length !== OBSERVATIONS) throw new InvalidOptionError('stats.meanPositiveProb', `${OBSERVATIONS} values`, meanPositiveProb.length);
    const max = Math.max(...meanPositiveProb.map((v) => (Number.isFinite(v) ? v : 0)));
    if (!(max > 0)) return;
    const current = this.basePriors.dataSync();
    this.setPriors(meanPositiveProb.map((v, i) => (Number.isFinite(v) ? Math.max(v, 0) / max : (current[i] as number))), 'stats.meanPositiveProb');
  }
}
