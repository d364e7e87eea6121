import type { StepRecord } from '@came-grad/cli';
import { describe, expect, it } from 'vitest';
import { cumulativeMean } from './dynamics-plots';
import { parseStepLog, summarizeDynamics } from './dynamics';

function step(i: number, conflict: boolean | null, energyRatio: number | null, ms: number, extra: Partial<StepRecord> = {}): StepRecord {
  return {
    type: 'step', step: i, epoch: 0, lr: 1e-3, losses: { lm: 1 }, taskWeights: [1, 1], weights: [1, 1], skipped: null, conflict, energyRatio,
    cosines: null, norms: { joint: i + 1, final: 2 * (i + 1), rect: null, energized: null }, branch: conflict ? 'regular' : 'mean', droppedTasks: [], ms, ...extra,
  };
}

describe('gradient-dynamics summary', () => {
  it('computes shares, means, median step time (first step excluded) and windowed series by hand', () => {
    const log = [step(0, true, 0.5, 900), step(1, false, 1.5, 10), step(2, true, 0.7, 30), step(3, true, null, 20), step(4, false, 1.1, 40, { skipped: 'non-finite' })];
    const s = summarizeDynamics(log, 2);
    expect(s.steps).toBe(5);
    expect(s.skippedSteps).toBe(1);
    expect(s.conflictShare).toBe(3 / 4);
    expect(s.meanEnergyRatio).toBeCloseTo((0.5 + 1.5 + 0.7) / 3, 12);
    expect(s.meanJointNorm).toBe((1 + 2 + 3 + 4) / 4);
    expect(s.meanFinalNorm).toBe(5);
    expect(s.medianStepMs).toBe(25);
    expect(s.branches).toEqual({ regular: 3, mean: 1 });
    // windows of ⌈5/2⌉ = 3 steps: {0,1,2} and {3,4}; the skipped step has no conflict value.
    expect(s.series.step).toEqual([0, 3]);
    expect(s.series.conflictShare).toEqual([2 / 3, 1]);
    expect(s.series.energyRatio[0]).toBeCloseTo(0.9, 12);
    expect(s.series.energyRatio[1]).toBe(1.1);
  });

  it('keeps the last record of a step logged twice (a resumed run) and ignores validation lines', () => {
    const text = [step(0, true, 0.5, 5), { type: 'validation', step: 1, ceF1: 0.2 }, step(0, false, 0.9, 7), step(1, false, 1, 9)].map((r) => JSON.stringify(r)).join('\n');
    const s = summarizeDynamics(parseStepLog(`${text}\n`));
    expect(s.steps).toBe(2);
    expect(s.conflictShare).toBe(0);
    expect(() => parseStepLog('{"type":"step"}\nnot json')).toThrow(/log\.jsonl line 2 should be JSON/);
  });

  it('the cumulative conflict share is a running mean that skips gaps', () => {
    expect(cumulativeMean([1, 0, null, 1])).toEqual([1, 0.5, 0.5, 2 / 3]);
    expect(cumulativeMean([null, 0])).toEqual([null, 0]);
  });
});
