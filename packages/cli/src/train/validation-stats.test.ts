import { describe, expect, it } from 'vitest';
import { meanProbabilityOnPositives } from './validation-stats';

const row = (value: number) => Array.from({ length: 14 }, () => value);

describe('meanProbabilityOnPositives', () => {
  it('averages each observation over the studies whose reference is positive for it', () => {
    const generation = {
      ids: ['a', 'b', 'c'],
      hypotheses: ['', '', ''],
      references: ['', '', ''],
      rawReferences: ['the heart is enlarged .', 'the heart is enlarged . small left pleural effusion .', 'no acute abnormality .'],
      classProbs: [row(0.2), row(0.6), row(0.9)],
    };
    const means = meanProbabilityOnPositives(generation) as number[];
    // Cardiomegaly is index 2 and Pleural Effusion index 10 in CheXpert order.
    expect(means[2]).toBeCloseTo(0.4, 12);
    expect(means[10]).toBeCloseTo(0.6, 12);
    expect(means[4]).toBeNaN();
  });

  it('is undefined when the adapter gave no 14-column probabilities', () => {
    const generation = { ids: ['a'], hypotheses: [''], references: [''], rawReferences: ['x'], classProbs: [] };
    expect(meanProbabilityOnPositives(generation)).toBeUndefined();
  });
});
