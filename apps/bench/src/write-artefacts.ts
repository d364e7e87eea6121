import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dynamicsSvgs } from './dynamics-plots';
import { EXPERIMENT_NAMES } from './experiments';
import type { GridRun } from './grid';
import { dynamicsMarkdown, experimentMarkdown, resultsCsv } from './render-tables';
import { reportHtml } from './report-html';
import type { RunRecord } from './run-record';
import { summarizeExperiment } from './summary';
import type { ExperimentSummary } from './summary';

/** The grid a bench folder was run with, kept so merge and re-rendering know the unavailable rows. */
export const GRID_FILE = 'grid.json';

/** The files a bench folder holds after rendering. */
export const ARTEFACTS = Object.freeze({ table: 'table.md', csv: 'results.csv', report: 'report.html', plots: 'plots' });

export function writeGrid(outDir: string, grid: readonly GridRun[]): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, GRID_FILE), `${JSON.stringify(grid, null, 1)}\n`);
}

/** Union of the grids of several folders (by run id), sorted by id. */
export function readGrids(dirs: readonly string[]): GridRun[] {
  const byId = new Map<string, GridRun>();
  for (const dir of dirs) {
    const path = join(dir, GRID_FILE);
    if (!existsSync(path)) continue;
    for (const run of JSON.parse(readFileSync(path, 'utf8')) as GridRun[]) {
      const existing = byId.get(run.id);
      byId.set(run.id, existing === undefined ? run : { ...existing, experiments: [...new Set([...existing.experiments, ...run.experiments])].sort() });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Runs that have a record but are missing from the grid (a folder merged without its grid.json)
 * still get a row: the grid is completed from the records themselves.
 */
function completeGrid(grid: readonly GridRun[], records: readonly RunRecord[]): GridRun[] {
  const ids = new Set(grid.map((g) => g.id));
  const extra = records.filter((r) => !ids.has(r.id)).map((r) => ({ id: r.id, variant: r.variant, experiments: r.experiments, config: r.config, unavailable: null }));
  return [...grid, ...extra];
}

/** The summaries of every experiment in the grid, in the canonical experiment order. */
export function summarize(grid: readonly GridRun[], records: readonly RunRecord[]): ExperimentSummary[] {
  const full = completeGrid(grid, records);
  const present = new Set(full.flatMap((g) => g.experiments));
  return EXPERIMENT_NAMES.filter((n) => present.has(n)).map((n) => summarizeExperiment(n, full, records));
}

/** Renders table.md, results.csv, plots/*.svg and report.html into `outDir`; returns the Markdown. */
export function writeArtefacts(outDir: string, grid: readonly GridRun[], records: readonly RunRecord[], facts: readonly string[]): string {
  const summaries = summarize(grid, records);
  const dynamicsSource = summaries.find((s) => s.name === 'dynamics') ?? summaries.find((s) => s.name === 'main');
  const sections = summaries.filter((s) => s.name !== 'dynamics' && s.name !== 'cost').map(experimentMarkdown);
  if (dynamicsSource !== undefined) sections.push(dynamicsMarkdown(dynamicsSource));
  const cost = summaries.find((s) => s.name === 'cost');
  if (cost !== undefined) sections.push(dynamicsMarkdown(cost));
  const markdown = `# CAME-Grad bench\n\n${facts.map((f) => `- ${f}`).join('\n')}\n\n${sections.join('\n\n')}\n`;
  mkdirSync(join(outDir, ARTEFACTS.plots), { recursive: true });
  const svgs = dynamicsSource === undefined ? [] : dynamicsSvgs(dynamicsSource);
  for (const { file, svg } of svgs) writeFileSync(join(outDir, ARTEFACTS.plots, file), `${svg}\n`);
  writeFileSync(join(outDir, ARTEFACTS.table), markdown);
  writeFileSync(join(outDir, ARTEFACTS.csv), resultsCsv(summaries));
  const tables = sections.join('\n\n');
  writeFileSync(join(outDir, ARTEFACTS.report), reportHtml({ title: 'CAME-Grad bench', facts }, tables, svgs));
  return markdown;
}
