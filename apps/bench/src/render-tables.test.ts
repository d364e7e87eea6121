import { describe, expect, it } from 'vitest';
import { testGridRun, testRecord } from '../test/fake-record';
import { experimentMarkdown, resultsCsv } from './render-tables';
import { summarizeExperiment } from './summary';

describe('tables', () => {
  it('renders mean ± CI over three seeds, the Δ row, the average Δ CE-F1 and no single-seed note', () => {
    const grid = [0, 1, 2].flatMap((s) => [testGridRun('wcl', 'linear', s), testGridRun('wcl', 'came-grad', s)]);
    const f1 = { linear: [0.1, 0.2, 0.3], 'came-grad': [0.2, 0.2, 0.5] } as Record<string, number[]>;
    const records = grid.map((g) => testRecord(g, f1[g.variant]?.[g.config.seed] as number));
    const summary = summarizeExperiment('main', grid, records);
    const md = experimentMarkdown(summary);
    // linear CE-F1: 20.00 ± 4.303·10/√3; came-grad: mean 0.3, s = sqrt(0.03) → 4.303·sqrt(0.03)/√3 = 43.03.
    expect(md).toContain('| wcl | linear | 3 | 30.00 ± 24.84 | 25.00 ± 24.84 |');
    expect(md).toContain('| 20.00 ± 24.84 | 20.00 ± 24.84 | 20.00 ± 24.84 | 50.00 ± 0.00 | 25.00 ± 0.00 | 33.33 ± 0.00 |');
    expect(md).toMatch(/\| wcl \| came-grad \| 3 \| 40\.00 ± 43\.03 \|/);
    expect(md).toContain('| wcl | came-grad | 3 | +10.00 | +10.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | +10.00 | +10.00 | +10.00 | 0.00 | 0.00 | 0.00 |');
    expect(md).toContain('**Average Δ CE-F1 (came-grad − linear) over 1 of the paper\'s 8 backbones (wcl): +10.00 points.**');
    expect(md).not.toContain('Single seed');
  });

  it('says "single seed" and "not available" where they apply', () => {
    const grid = [testGridRun('wcl', 'linear', 0), testGridRun('wcl', 'came-grad', 0), testGridRun('revtaf', 'linear', 0, 'backbone revtaf is not registered')];
    const records = [testRecord(grid[0]!, 0.25), testRecord(grid[1]!, 0.5)];
    const md = experimentMarkdown(summarizeExperiment('main', grid, records));
    expect(md).toContain('| wcl | linear | 1 | 35.00 | 30.00 | 2.00 | 1.00 | 10.00 | 20.00 | 30.00 | 25.00 | 25.00 | 25.00 |');
    expect(md).toContain('| revtaf | linear | 0 | not available: backbone revtaf is not registered |');
    expect(md).toContain('**Single seed:**');
    expect(md).toContain('+25.00 points');
  });

  it('sets each row beside the trivial baselines of its test studies and counts the distinct label sets generated', () => {
    const grid = [testGridRun('wcl', 'linear', 0), testGridRun('wcl', 'came-grad', 0)];
    const ref = ['1.............', '.1............', '..1...........'];
    const template = { pred: ['1.............', '1.............', '1.............'], ref };
    const reading = { pred: ['1.............', '.1............', '..0...........'], ref };
    const withBaselines = (r: ReturnType<typeof testRecord>, mode: number): ReturnType<typeof testRecord> => ({
      ...r, baselines: { ...r.baselines, mostFrequentReport: { macro: { precision: mode, recall: mode, f1: mode }, micro: { precision: 0, recall: 0, f1: 0 } } },
    });
    const records = [withBaselines(testRecord(grid[0]!, 0.053, template), 0.053), withBaselines(testRecord(grid[1]!, 0.0721, reading), 0.053)];
    const md = experimentMarkdown(summarizeExperiment('main', grid, records));
    expect(md).toContain('### main: against the trivial baselines (CE-F1, points)');
    expect(md).toContain('| wcl | linear | 1 | 5.30 | 5.30 | 0.00 | 0.00 | n/a | n/a | 1 / 3 |');
    expect(md).toContain('| wcl | came-grad | 1 | 7.21 | 5.30 | 0.00 | +1.91 | n/a | n/a | 3 / 3 |');
    expect(md).toContain('1 of 2 rows score above both baselines.');
    // With the baseline's labels kept, the difference is bootstrapped over the three studies. The
    // template run predicts what the baseline predicts, so it ties in every resample. The reading run
    // scores (1 + 1 + 0)/14 on the full set against the baseline's 0.5/14 and is never below it in a
    // resample: wherever the baseline is right about No Finding, so is the run.
    const kept = records.map((r) => ({ ...r, baselines: { ...r.baselines, mostFrequentReport: { ...r.baselines.mostFrequentReport, labels: '1.............' } } }));
    const withCi = experimentMarkdown(summarizeExperiment('main', grid, kept));
    expect(withCi).toContain('| wcl | linear | 1 | 5.30 | 5.30 | 0.00 | 0.00 | [0.00, 0.00] | 1.000 | 1 / 3 |');
    expect(withCi).toMatch(/\| wcl \| came-grad \| 1 \| 7\.21 \| 5\.30 \| 0\.00 \| \+1\.91 \| \[0\.00, \+\d+\.\d\d\] \| 0\.\d{3} \| 3 \/ 3 \|/);
    // Only the main table carries the section.
    expect(experimentMarkdown(summarizeExperiment('optimizers', grid, records))).not.toContain('trivial baselines');
  });

  it('writes one CSV row per experiment row with raw fractions and quoted fields', () => {
    const grid = [testGridRun('wcl', 'linear', 0), testGridRun('wcl', 'came-grad', 0)];
    const csv = resultsCsv([summarizeExperiment('main', grid, grid.map((g) => testRecord(g, g.variant === 'linear' ? 0.25 : 0.5)))]);
    const [header, linear, came] = csv.trimEnd().split('\n');
    expect(header?.split(',').slice(0, 8)).toEqual(['experiment', 'backbone', 'method', 'seeds', 'n_runs', 'available', 'bleu1_mean', 'bleu1_ci95']);
    expect(linear).toBe('main,wcl,linear,0,1,yes,0.35,,0.3,,0.02,,0.01,,0.1,,0.2,,0.3,,0.25,,0.25,,0.25,,0.5,,0.25,,0.3333333333333333,,0.5,0.9,100,200,,,');
    expect(came?.startsWith('main,wcl,came-grad,0,1,yes,0.6,')).toBe(true);
    expect(came?.split(',').slice(-7, -3)).toEqual(['0.5', '0.9', '150', '220']);
    expect(came?.split(',').at(-3)).toBe('0.25');
  });
});
