import { describe, expect, it } from 'vitest';
import { learningRateAt } from './lr-schedule';

describe('learningRateAt', () => {
  const schedule = { peak: 1e-3, warmupSteps: 4, totalSteps: 14, finalFraction: 0.1 };
  it('ramps linearly during warm-up', () => {
    expect([0, 1, 2, 3].map((s) => learningRateAt(schedule, s))).toEqual([2.5e-4, 5e-4, 7.5e-4, 1e-3]);
  });
  it('decays by a half cosine to the floor at the last step', () => {
    expect(learningRateAt(schedule, 4)).toBeCloseTo(1e-3, 15);
    // Midway through the 9 decay steps the cosine is at zero: (peak + floor) / 2.
    expect(learningRateAt({ ...schedule, totalSteps: 13 }, 8)).toBeCloseTo((1e-3 + 1e-4) / 2, 15);
    expect(learningRateAt(schedule, 13)).toBeCloseTo(1e-4, 15);
    expect(learningRateAt(schedule, 100)).toBeCloseTo(1e-4, 15);
  });
  it('is monotone after warm-up', () => {
    const values = Array.from({ length: 10 }, (_, i) => learningRateAt(schedule, 4 + i));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
  });
});
