import { OBSERVATIONS, labelReports } from '@came-grad/metrics';
import type { SplitGeneration } from './evaluate-split';

/**
 * Per observation, the mean predicted probability over the validation studies whose reference
 * report the labeler reads as positive (NaN where there is none): the statistic PromptMRG-family
 * adapters re-estimate their logit-adjustment priors from. Undefined when the adapter returned no
 * 14-column class probabilities.
 */
export function meanProbabilityOnPositives(generation: SplitGeneration): number[] | undefined {
  if (generation.classProbs.length !== generation.ids.length || generation.classProbs.some((row) => row.length !== OBSERVATIONS.length)) return undefined;
  const labels = labelReports(generation.rawReferences);
  return OBSERVATIONS.map((observation, c) => {
    let sum = 0;
    let count = 0;
    labels.forEach((row, i) => {
      if (row[observation] === 1) {
        sum += (generation.classProbs[i] as number[])[c] as number;
        count++;
      }
    });
    return count === 0 ? Number.NaN : sum / count;
  });
}
