import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchCommand } from '../src/bench-command';
import { RECORD_FILE, RESULTS_FILE, readResults, runDirOf } from '../src/result-store';
import { ARTEFACTS, GRID_FILE } from '../src/write-artefacts';

const WORKER = join(import.meta.dirname, '..', 'dist', 'worker.js');

async function bench(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await benchCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, WORKER);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pnpm bench end to end (r2gen tiny, 2 steps, linear vs came-grad)', () => {
  it('trains both runs in worker processes, writes every artefact, skips completed runs and resumes an unfinished one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
    const outDir = join(root, 'results');
    const args = ['--backbones', 'r2gen,not-a-backbone', '--steps', '2', '--test-studies', '6', '--out', outDir, '--jobs', '2', '--backend', 'wasm', '--data-dir', join(root, 'data')];
    const first = await bench(args);
    expect(first.err).not.toContain('FAILED');
    expect(first.code).toBe(0);
    expect(first.err).toContain('not available: backbone not-a-backbone is not registered');
    const records = readResults(outDir);
    expect(records.map((r) => r.variant).sort()).toEqual(['came-grad', 'linear']);
    for (const r of records) {
      expect(r.config.backbone).toBe('r2gen');
      expect(r.dynamics.steps).toBe(2);
      expect(r.metrics.n).toBe(6);
      expect(r.testLabels.pred).toHaveLength(6);
      expect(Object.keys(r.metrics.ce)).toEqual(['macro', 'micro']);
      expect(r.peakRssMiB).toBeGreaterThan(50);
      expect(r.timings.trainSeconds).toBeGreaterThan(0);
      expect(r.versions['cli']).toBe('0.0.0');
      expect(r.backend).toBe('wasm');
      // The most frequent training report and its labels, which the baselines section bootstraps against.
      expect(r.baselines.mostFrequentReport.report?.length).toBeGreaterThan(0);
      expect(r.baselines.mostFrequentReport.labels).toMatch(/^[10u.]{14}$/);
    }
    expect(records.find((r) => r.variant === 'came-grad')?.dynamics.branches).not.toEqual({});
    for (const file of [RESULTS_FILE, GRID_FILE, ARTEFACTS.table, ARTEFACTS.csv, ARTEFACTS.report]) expect(existsSync(join(outDir, file)), file).toBe(true);
    expect(readdirSync(join(outDir, ARTEFACTS.plots)).sort()).toEqual(['dynamics-conflict.svg', 'dynamics-energy.svg', 'dynamics-update-norm.svg']);
    const table = readFileSync(join(outDir, ARTEFACTS.table), 'utf8');
    expect(table).toMatch(/\| r2gen \| came-grad \| 1 \| [+-]?\d/);
    expect(table).toContain('not available: backbone not-a-backbone is not registered');
    expect(table).toContain('**Single seed:**');
    expect(table).toMatch(/\| r2gen \| linear \| 1 \| [\d.]+ \| [\d.]+ \| 0\.00 \| [+-]?[\d.]+ \| \[[+-]?[\d.]+, [+-]?[\d.]+\] \| [01]\.\d{3} \| \d+ \/ 6 \|/);
    // R2Gen is the reference row, outside the paper's average.
    expect(table).not.toContain('Average Δ CE-F1');

    // A re-run finds both runs complete and trains nothing.
    const again = await bench(args);
    expect(again.err).toContain('2 done, 0 to run');
    expect(readFileSync(join(outDir, RESULTS_FILE), 'utf8').trim().split('\n')).toHaveLength(2);

    // A run whose record is lost but whose checkpoint exists resumes from it instead of retraining.
    const linear = records.find((r) => r.variant === 'linear');
    if (linear === undefined) throw new Error('no linear record');
    rmSync(join(runDirOf(outDir, linear.id), RECORD_FILE));
    writeFileSync(join(outDir, RESULTS_FILE), `${JSON.stringify(records.find((r) => r.variant === 'came-grad'))}\n`);
    const resumed = await bench(args);
    expect(resumed.err).toContain('1 done, 1 to run');
    const after = readResults(outDir).find((r) => r.id === linear.id);
    expect(after?.train.resumedFrom).toBe(2);
    expect(after?.metrics).toEqual(linear.metrics);
  });
});
