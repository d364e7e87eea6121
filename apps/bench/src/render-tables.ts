import { baselinesMarkdown } from './baselines-table';
import { mdRow, points, signed } from './table-cells';
import { METRICS } from './summary';
import type { DeltaRow, ExperimentSummary, SummaryRow } from './summary';
import type { MeanCi } from './statistics';

function cell(stat: MeanCi | undefined): string {
  if (stat === undefined) return '';
  return stat.halfWidth === null ? points(stat.mean) : `${points(stat.mean)} ± ${points(stat.halfWidth)}`;
}

function bootstrapText(d: DeltaRow): string {
  if (d.bootstrap === null) return 'n/a';
  return `[${signed(d.bootstrap.ciLow)}, ${signed(d.bootstrap.ciHigh)}]`;
}

/** True when any row of the summary rests on one seed (the tables then say so). */
export function hasSingleSeed(summary: ExperimentSummary): boolean {
  return summary.rows.some((r) => r.records.length === 1);
}

/** The Markdown table of one experiment: rows, Δ rows against `linear`, the average Δ CE-F1, notes. */
export function experimentMarkdown(summary: ExperimentSummary): string {
  const lines = [`## ${summary.name}`, ''];
  lines.push(mdRow(['backbone', 'method', 'seeds', ...METRICS.map((m) => m.label)]));
  lines.push(mdRow(['---', '---', '---:', ...METRICS.map(() => '---:')]));
  for (const row of summary.rows) {
    if (row.records.length === 0) {
      lines.push(mdRow([row.backbone, row.variant, '0', `not available: ${row.unavailable ?? 'not run yet'}`, ...METRICS.slice(1).map(() => '')]));
    } else {
      lines.push(mdRow([row.backbone, row.variant, String(row.records.length), ...METRICS.map((m) => cell(row.stats[m.key]))]));
    }
  }
  if (summary.deltas.length > 0) {
    lines.push('', `### ${summary.name}: Δ against linear (points; paired by seed)`, '');
    lines.push(mdRow(['backbone', 'method', 'seeds', ...METRICS.map((m) => `Δ ${m.label}`), 'Δ CE-F1 95% bootstrap CI', 'P(Δ ≤ 0)']));
    lines.push(mdRow(['---', '---', '---:', ...METRICS.map(() => '---:'), '---:', '---:']));
    for (const d of summary.deltas) {
      lines.push(mdRow([d.backbone, d.variant, String(d.seeds.length), ...METRICS.map((m) => signed(d.delta[m.key])), bootstrapText(d), d.bootstrap === null ? 'n/a' : d.bootstrap.shareNotPositive.toFixed(3)]));
    }
  }
  if (summary.averageDeltaCeF1 !== null) {
    const a = summary.averageDeltaCeF1;
    lines.push('', `**Average Δ CE-F1 (came-grad − linear) over ${a.backbones.length} of the paper's 8 backbones (${a.backbones.join(', ')}): ${signed(a.value)} points.** The paper's abstract reports +2.3 (MIMIC-CXR) and +1.9 (IU X-Ray).`);
  }
  lines.push('', ...notes(summary));
  if (summary.name === 'main') lines.push('', ...baselinesMarkdown(summary));
  return lines.join('\n');
}

function notes(summary: ExperimentSummary): string[] {
  const out = ['Scores in points (×100); mean ± 95% t-interval half-width across seeds. CE = macro over 14 observations, uncertain counted as positive (the paper\'s convention); µCE = micro, positive only (R2Gen\'s).'];
  if (hasSingleSeed(summary)) {
    out.push('**Single seed:** rows with seeds = 1 have no across-seed interval; their Δ is one run against one run, and only the bootstrap interval (over test studies, not seeds) qualifies it. Not a claim about the method.');
  }
  if (summary.deltas.length > 0) out.push('Bootstrap: 1000 paired resamples of test studies (seed 20260527); P(Δ ≤ 0) is the share of resamples where the method does not beat linear.');
  return out.map((n) => `> ${n}`);
}

/** The gradient-dynamics table: conflict share, energy ratio and norms per run row, plus cost. */
export function dynamicsMarkdown(summary: ExperimentSummary): string {
  const lines = [`## ${summary.name}: gradient dynamics and cost`, ''];
  lines.push(mdRow(['backbone', 'method', 'seeds', 'conflict share', 'energy ratio', '‖g_joint‖', '‖g_final‖', 'step ms (median)', 'step × linear', 'peak RSS MiB', 'RSS × linear']));
  lines.push(mdRow(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const row of summary.rows) {
    if (row.records.length === 0) continue;
    const base = summary.rows.find((r) => r.backbone === row.backbone && r.variant === 'linear');
    const stepMs = meanOf(row, (r) => r.timings.medianStepMs);
    const baseMs = base === undefined ? null : meanOf(base, (r) => r.timings.medianStepMs);
    const rss = meanOf(row, (r) => r.peakRssMiB);
    const baseRss = base === undefined ? null : meanOf(base, (r) => r.peakRssMiB);
    lines.push(mdRow([
      row.backbone,
      row.variant,
      String(row.records.length),
      fixed(meanOf(row, (r) => r.dynamics.conflictShare), 3),
      fixed(meanOf(row, (r) => r.dynamics.meanEnergyRatio), 3),
      fixed(meanOf(row, (r) => r.dynamics.meanJointNorm), 3),
      fixed(meanOf(row, (r) => r.dynamics.meanFinalNorm), 3),
      fixed(stepMs, 0),
      stepMs === null || baseMs === null || baseMs === 0 ? 'n/a' : `${(stepMs / baseMs).toFixed(2)}×`,
      fixed(rss, 0),
      rss === null || baseRss === null || baseRss === 0 ? 'n/a' : `${(rss / baseRss).toFixed(2)}×`,
    ]));
  }
  lines.push('', '> conflict share: fraction of steps with a negative inner product between two task gradients; energy ratio ‖g_joint‖² / Σ‖ωᵢgᵢ‖² (< 1 under conflict). Both are measured before the method acts, so they describe the trajectory each method produced.');
  return lines.join('\n');
}

export function meanOf(row: SummaryRow, pick: (r: SummaryRow['records'][number]) => number | null): number | null {
  const values = row.records.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function fixed(value: number | null, digits: number): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

const CSV_HEADER = [
  'experiment', 'backbone', 'method', 'seeds', 'n_runs', 'available',
  ...METRICS.flatMap((m) => [`${m.key}_mean`, `${m.key}_ci95`]),
  'conflict_share', 'energy_ratio', 'step_ms', 'peak_rss_mib',
  'delta_ceF1', 'delta_ceF1_boot_low', 'delta_ceF1_boot_high',
];

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row per experiment row, raw fractions (not points), for spreadsheets and scripts. */
export function resultsCsv(summaries: readonly ExperimentSummary[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const s of summaries) {
    for (const row of s.rows) {
      const d = s.deltas.find((x) => x.backbone === row.backbone && x.variant === row.variant);
      lines.push([
        s.name, row.backbone, row.variant, row.seeds.join(' '), row.records.length, row.unavailable === null ? 'yes' : 'no',
        ...METRICS.flatMap((m) => [row.stats[m.key]?.mean ?? null, row.stats[m.key]?.halfWidth ?? null]),
        meanOf(row, (r) => r.dynamics.conflictShare), meanOf(row, (r) => r.dynamics.meanEnergyRatio),
        meanOf(row, (r) => r.timings.medianStepMs), meanOf(row, (r) => r.peakRssMiB),
        d?.delta.ceF1 ?? null, d?.bootstrap?.ciLow ?? null, d?.bootstrap?.ciHigh ?? null,
      ].map(csvField).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
