import type { PairedBootstrap } from './statistics';
import { bootstrapCeF1OfLabels } from './summary';
import type { ExperimentSummary, SummaryRow } from './summary';
import { mdRow, points, signed } from './table-cells';

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Per-row comparison of a trained model with the two trivial CE baselines of its own test studies. */
export interface BaselineComparison {
  readonly backbone: string;
  readonly variant: string;
  readonly seeds: number;
  /** Mean over seeds of the run's CE-F1 (macro, uncertain = positive), as the main table shows it. */
  readonly ceF1: number;
  /** Mean over seeds of the most-frequent-training-report baseline's CE-F1 on the same studies. */
  readonly mostFrequentF1: number;
  readonly allNegativeF1: number;
  /**
   * Distinct CheXpert label vectors among the generated reports (largest over seeds): 1 means every
   * study got the same findings, the signature of a decoder that has not learned to read the image.
   */
  readonly distinctLabelSets: number;
  readonly studies: number;
  /**
   * CE-F1(model) − CE-F1(most-frequent report) resampled over test studies (mean over seeds), when
   * every record kept the baseline's labels; otherwise null.
   */
  readonly versusMostFrequent: PairedBootstrap | null;
}

function versusMostFrequent(row: SummaryRow): PairedBootstrap | null {
  const pairs = row.records.map((r) => {
    const labels = r.baselines.mostFrequentReport.labels;
    return labels === undefined ? null : { ids: r.testLabels.ids, ref: r.testLabels.ref, predA: r.testLabels.ids.map(() => labels), predB: r.testLabels.pred };
  });
  return pairs.every((p) => p !== null) ? bootstrapCeF1OfLabels(pairs) : null;
}

/** One comparison per row that has finished runs. */
export function compareWithBaselines(summary: ExperimentSummary): BaselineComparison[] {
  return summary.rows.filter((row) => row.records.length > 0).map((row: SummaryRow) => ({
    backbone: row.backbone,
    variant: row.variant,
    seeds: row.records.length,
    ceF1: row.stats.ceF1?.mean ?? Number.NaN,
    mostFrequentF1: mean(row.records.map((r) => r.baselines.mostFrequentReport.macro.f1)),
    allNegativeF1: mean(row.records.map((r) => r.baselines.allNegative.macro.f1)),
    distinctLabelSets: Math.max(...row.records.map((r) => new Set(r.testLabels.pred).size)),
    studies: Math.max(...row.records.map((r) => r.testLabels.pred.length)),
    versusMostFrequent: versusMostFrequent(row),
  }));
}

/**
 * The "against the trivial baselines" section: each row's CE-F1 beside the most-frequent report's
 * and the all-negative prediction's on the same test studies, with the number of distinct label
 * sets generated. Empty when no row has runs.
 */
export function baselinesMarkdown(summary: ExperimentSummary): string[] {
  const rows = compareWithBaselines(summary);
  if (rows.length === 0) return [];
  const lines = [`### ${summary.name}: against the trivial baselines (CE-F1, points)`, ''];
  lines.push(mdRow(['backbone', 'method', 'seeds', 'CE-F1', 'most-frequent report', 'all-negative', 'Δ most-frequent', 'Δ 95% bootstrap CI', 'P(Δ ≤ 0)', 'distinct label sets']));
  lines.push(mdRow(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const r of rows) {
    lines.push(mdRow([
      r.backbone, r.variant, String(r.seeds), points(r.ceF1), points(r.mostFrequentF1), points(r.allNegativeF1),
      signed(r.ceF1 - r.mostFrequentF1),
      r.versusMostFrequent === null ? 'n/a' : `[${signed(r.versusMostFrequent.ciLow)}, ${signed(r.versusMostFrequent.ciHigh)}]`,
      r.versusMostFrequent === null ? 'n/a' : r.versusMostFrequent.shareNotPositive.toFixed(3),
      `${r.distinctLabelSets} / ${r.studies}`,
    ]));
  }
  const above = rows.filter((r) => r.ceF1 > r.mostFrequentF1 && r.ceF1 > r.allNegativeF1).length;
  lines.push('', `${above} of ${rows.length} rows score above both baselines.`);
  lines.push('', '> Most-frequent report: every test study gets the most frequent training report; all-negative: every observation predicted negative. A model whose generated reports carry one label set for every study has not started to read the image, whatever its NLG scores. The interval resamples test studies (paired, same settings as the Δ against linear); n/a for records written before the baseline\'s labels were kept.');
  return lines;
}
