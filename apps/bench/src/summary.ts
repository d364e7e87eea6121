import { ceScores } from '@came-grad/cli';
import { MAIN_BACKBONES, PAPER_BACKBONES } from './experiments';
import type { GridRun } from './grid';
import { decodeLabels } from './run-record';
import type { RunRecord } from './run-record';
import { meanCi, pairedBootstrap } from './statistics';
import type { MeanCi, PairedBootstrap } from './statistics';

/** The table columns, in the paper's order: NLG, then CE (macro, uncertain = positive), then CE micro. */
export const METRICS = [
  { key: 'bleu1', label: 'BLEU-1', pick: (r: RunRecord) => r.metrics.nlg.bleu1 },
  { key: 'bleu2', label: 'BLEU-2', pick: (r: RunRecord) => r.metrics.nlg.bleu2 },
  { key: 'bleu3', label: 'BLEU-3', pick: (r: RunRecord) => r.metrics.nlg.bleu3 },
  { key: 'bleu4', label: 'BLEU-4', pick: (r: RunRecord) => r.metrics.nlg.bleu4 },
  { key: 'meteor', label: 'METEOR', pick: (r: RunRecord) => r.metrics.nlg.meteor },
  { key: 'rougeL', label: 'ROUGE-L', pick: (r: RunRecord) => r.metrics.nlg.rougeL },
  { key: 'cider', label: 'CIDEr', pick: (r: RunRecord) => r.metrics.nlg.cider },
  { key: 'ceP', label: 'CE-P', pick: (r: RunRecord) => r.metrics.ce.macro.precision },
  { key: 'ceR', label: 'CE-R', pick: (r: RunRecord) => r.metrics.ce.macro.recall },
  { key: 'ceF1', label: 'CE-F1', pick: (r: RunRecord) => r.metrics.ce.macro.f1 },
  { key: 'ceMicroP', label: 'µCE-P', pick: (r: RunRecord) => r.metrics.ce.micro.precision },
  { key: 'ceMicroR', label: 'µCE-R', pick: (r: RunRecord) => r.metrics.ce.micro.recall },
  { key: 'ceMicroF1', label: 'µCE-F1', pick: (r: RunRecord) => r.metrics.ce.micro.f1 },
] as const;

export type MetricKey = (typeof METRICS)[number]['key'];

/** One row of an experiment: a (backbone, variant) over its seeds. */
export interface SummaryRow {
  readonly backbone: string;
  readonly variant: string;
  /** Why the row has no runs (not registered, not supported), or null. */
  readonly unavailable: string | null;
  readonly seeds: number[];
  readonly stats: Partial<Record<MetricKey, MeanCi>>;
  readonly records: RunRecord[];
}

/** A variant minus `linear` on the same backbone, paired by seed. */
export interface DeltaRow {
  readonly backbone: string;
  readonly variant: string;
  readonly seeds: number[];
  /** Mean over paired seeds of (variant − linear), per metric. */
  readonly delta: Record<MetricKey, number>;
  /** Paired bootstrap of Δ CE-F1 (macro) over test studies, averaged over the paired seeds. */
  readonly bootstrap: PairedBootstrap | null;
}

export interface ExperimentSummary {
  readonly name: string;
  readonly rows: SummaryRow[];
  readonly deltas: DeltaRow[];
  /** Mean Δ CE-F1 (macro) of `came-grad` over the paper's backbones that have the pair (the abstract's number). */
  readonly averageDeltaCeF1: { readonly value: number; readonly backbones: string[] } | null;
}

/** Bootstrap settings: fixed, so a report's intervals are reproducible. */
export const BOOTSTRAP = Object.freeze({ resamples: 1000, seed: 20260527 });

/** Groups the records of an experiment by the grid's rows (unavailable rows kept, so tables say so). */
export function summarizeExperiment(name: string, grid: readonly GridRun[], records: readonly RunRecord[]): ExperimentSummary {
  const byId = new Map(records.map((r) => [r.id, r]));
  const rows = new Map<string, SummaryRow>();
  for (const run of grid) {
    if (!run.experiments.includes(name)) continue;
    const key = `${run.config.backbone}\u0000${run.variant}`;
    const row = rows.get(key) ?? { backbone: run.config.backbone, variant: run.variant, unavailable: run.unavailable, seeds: [], stats: {}, records: [] };
    const record = byId.get(run.id);
    if (record !== undefined) {
      row.records.push(record);
      row.seeds.push(record.config.seed);
    }
    rows.set(key, row);
  }
  const finished = [...rows.values()].sort(rowOrder).map((row) => {
    const stats: Partial<Record<MetricKey, MeanCi>> = {};
    if (row.records.length > 0) for (const m of METRICS) stats[m.key] = meanCi(row.records.map(m.pick));
    return { ...row, seeds: [...row.seeds].sort((a, b) => a - b), stats };
  });
  const deltas = deltaRows(finished);
  // The abstract averages over the paper's eight; R2Gen's reference row stays out of it.
  const came = deltas.filter((d) => d.variant === 'came-grad' && PAPER_BACKBONES.includes(d.backbone));
  return {
    name,
    rows: finished,
    deltas,
    averageDeltaCeF1: came.length === 0 ? null : { value: came.reduce((a, d) => a + d.delta.ceF1, 0) / came.length, backbones: came.map((d) => d.backbone) },
  };
}

/** Backbones in the paper's order (unknown ones after, by name); `linear` first and `came-grad` last within a backbone. */
function rowOrder(a: SummaryRow, b: SummaryRow): number {
  const rank = (backbone: string): number => (MAIN_BACKBONES.includes(backbone) ? MAIN_BACKBONES.indexOf(backbone) : MAIN_BACKBONES.length);
  const variantRank = (v: string): number => (v === 'linear' ? 0 : v === 'came-grad' ? 2 : 1);
  return rank(a.backbone) - rank(b.backbone) || (a.backbone < b.backbone ? -1 : a.backbone > b.backbone ? 1 : 0)
    || variantRank(a.variant) - variantRank(b.variant) || (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0);
}

function deltaRows(rows: readonly SummaryRow[]): DeltaRow[] {
  const out: DeltaRow[] = [];
  for (const row of rows) {
    if (row.variant === 'linear' || row.records.length === 0) continue;
    const base = rows.find((r) => r.backbone === row.backbone && r.variant === 'linear');
    if (base === undefined) continue;
    const pairs = row.records
      .map((r) => [base.records.find((b) => b.config.seed === r.config.seed), r] as const)
      .filter((p): p is readonly [RunRecord, RunRecord] => p[0] !== undefined)
      .sort((a, b) => a[1].config.seed - b[1].config.seed);
    if (pairs.length === 0) continue;
    const delta = Object.fromEntries(METRICS.map((m) => [m.key, pairs.reduce((a, [l, c]) => a + m.pick(c) - m.pick(l), 0) / pairs.length])) as Record<MetricKey, number>;
    out.push({ backbone: row.backbone, variant: row.variant, seeds: pairs.map(([, c]) => c.config.seed), delta, bootstrap: bootstrapCeF1(pairs) });
  }
  return out;
}

/**
 * Δ CE-F1 (macro, uncertain = positive) resampled over test studies. Every pair must have scored
 * the same studies in the same order (same dataset and test limit); otherwise there is no pairing
 * and the result is null.
 */
export function bootstrapCeF1(pairs: readonly (readonly [RunRecord, RunRecord])[]): PairedBootstrap | null {
  return bootstrapCeF1OfLabels(pairs.map(([a, b]) => ({ ids: a.testLabels.ids, ref: a.testLabels.ref, predA: a.testLabels.pred, predB: b.testLabels.pred, idsB: b.testLabels.ids })));
}

/** Encoded per-study labels of two predictions of the same test studies (see {@link encodeLabels}). */
export interface LabelPair {
  readonly ids: readonly string[];
  /** The studies B was scored on, when they may differ from A's (then the pair is not comparable). */
  readonly idsB?: readonly string[];
  readonly ref: readonly string[];
  readonly predA: readonly string[];
  readonly predB: readonly string[];
}

/** {@link bootstrapCeF1} on label codes: mean over the pairs of CE-F1(B) − CE-F1(A), resampling studies. */
export function bootstrapCeF1OfLabels(pairs: readonly LabelPair[]): PairedBootstrap | null {
  const [first] = pairs;
  if (first === undefined) return null;
  const ids = first.ids.join('\u0000');
  if (pairs.some((p) => p.ids.join('\u0000') !== ids || (p.idsB !== undefined && p.idsB.join('\u0000') !== ids))) return null;
  const decoded = pairs.map((p) => ({ ref: p.ref.map(decodeLabels), predA: p.predA.map(decodeLabels), predB: p.predB.map(decodeLabels) }));
  const f1 = (pred: ReturnType<typeof decodeLabels>[], ref: ReturnType<typeof decodeLabels>[]): number => ceScores(pred, ref).macro.f1;
  return pairedBootstrap(
    first.ids.length,
    (indices) => {
      let sum = 0;
      for (const d of decoded) {
        const ref = indices.map((i) => d.ref[i] as (typeof d.ref)[number]);
        sum += f1(indices.map((i) => d.predB[i] as (typeof d.ref)[number]), ref) - f1(indices.map((i) => d.predA[i] as (typeof d.ref)[number]), ref);
      }
      return sum / decoded.length;
    },
    BOOTSTRAP,
  );
}
