import type { R2GenDataset } from '@came-grad/datasets';
import { OBSERVATIONS, labelReports } from '@came-grad/metrics';
import type { CheXpertLabels } from '@came-grad/metrics';
import { ceScores } from './evaluate-split';
import type { CeScores, SplitGeneration } from './evaluate-split';

/** CE scores of the two trivial baselines a trained model must beat. */
export interface TrivialBaselines {
  /** Every study gets the most frequent (R2Gen-cleaned) training report. */
  readonly mostFrequentReport: CeScores & { readonly report: string };
  /** Every observation predicted negative. */
  readonly allNegative: CeScores;
}

export function trivialBaselines(dataset: R2GenDataset, generation: SplitGeneration): TrivialBaselines {
  const counts = new Map<string, number>();
  for (const record of dataset.records('train')) {
    const text = dataset.tokenizer.referenceText(record.report, dataset.maxSeqLength);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  // Ties go to the lexicographically smallest report so the baseline is deterministic.
  const [report] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [''];
  const refLabels = labelReports(generation.rawReferences);
  const [modeLabels] = labelReports([report]);
  const negative = Object.fromEntries(OBSERVATIONS.map((o) => [o, 0])) as CheXpertLabels;
  return {
    mostFrequentReport: { report, ...ceScores(refLabels.map(() => modeLabels as CheXpertLabels), refLabels) },
    allNegative: ceScores(refLabels.map(() => negative), refLabels),
  };
}
