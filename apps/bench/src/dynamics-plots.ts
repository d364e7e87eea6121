import type { RunRecord } from './run-record';
import type { ExperimentSummary } from './summary';
import { lineChartSvg } from './svg-chart';
import type { ChartSeries } from './svg-chart';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** The plotted quantities of the gradient-dynamics experiment. */
export const DYNAMICS_PLOTS = [
  { file: 'dynamics-conflict.svg', title: 'Share of steps with conflicting task gradients (cumulative)', yLabel: 'conflict share', cumulative: true, pick: (r: RunRecord) => r.dynamics.series.conflictShare },
  { file: 'dynamics-energy.svg', title: 'Energy ratio ‖g_joint‖² / Σ‖ωᵢgᵢ‖²', yLabel: 'energy ratio', cumulative: false, pick: (r: RunRecord) => r.dynamics.series.energyRatio },
  { file: 'dynamics-update-norm.svg', title: 'Update norm ‖g_final‖ (before the learning rate)', yLabel: '‖g_final‖', cumulative: false, pick: (r: RunRecord) => r.dynamics.series.finalNorm },
] as const;

/**
 * Running mean over windows. Each window is already a share, so a running mean of windows is
 * the cumulative share up to that point (windows have equal size except possibly the last).
 */
export function cumulativeMean(values: readonly (number | null)[]): (number | null)[] {
  let sum = 0;
  let n = 0;
  return values.map((v) => {
    if (v !== null && Number.isFinite(v)) {
      sum += v;
      n++;
    }
    return n === 0 ? null : sum / n;
  });
}

/**
 * Linear (dashed) vs CAME-Grad (solid) per backbone, one colour per backbone, from the first
 * seed of each row (averaging series across seeds would blur the per-run dynamics).
 */
export function dynamicsSvgs(summary: ExperimentSummary): { file: string; svg: string }[] {
  const backbones = [...new Set(summary.rows.filter((r) => r.records.length > 0).map((r) => r.backbone))];
  return DYNAMICS_PLOTS.map((plot) => {
    const series: ChartSeries[] = [];
    backbones.forEach((backbone, i) => {
      for (const variant of ['linear', 'came-grad']) {
        const row = summary.rows.find((r) => r.backbone === backbone && r.variant === variant);
        const record = row?.records.slice().sort((a, b) => a.config.seed - b.config.seed)[0];
        if (record === undefined) continue;
        const y = plot.pick(record);
        series.push({
          name: `${backbone} ${variant}`,
          color: PALETTE[i % PALETTE.length] as string,
          dashed: variant === 'linear',
          x: record.dynamics.series.step.map((s) => s + 1),
          y: plot.cumulative ? cumulativeMean(y) : y,
        });
      }
    });
    return { file: plot.file, svg: lineChartSvg(series, { title: plot.title, xLabel: 'step', yLabel: plot.yLabel }) };
  });
}
