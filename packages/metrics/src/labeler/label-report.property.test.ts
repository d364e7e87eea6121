import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelReports } from './label-report';
import { OBSERVATIONS } from './observations';

const WORDS = [
  'no', 'not', 'without', 'possible', 'stable', 'unchanged', 'normal', 'or', 'versus', 'but', 'and', 'the', 'heart', 'size',
  'is', 'enlarged', 'cardiomegaly', 'pleural', 'effusion', 'pneumothorax', 'edema', 'chf', 'atelectasis', 'opacity',
  'consolidation', 'pneumonia', 'nodule', 'tube', 'line', 'fracture', 'granuloma', 'cannot', 'be', 'excluded', 'change', 'in',
  'new', 'may', 'represent', 'mediastinal', 'silhouette', 'clear', 'lungs', '.', ',', ';', 'Mild', 'LEFT',
];
const report = fc.array(fc.constantFrom(...WORDS), { maxLength: 30 }).map((w) => w.join(' '));

describe('labelReports: properties', () => {
  it('outputs only CheXpert values, No Finding only 1 or null, and 1 exactly when nothing but devices is found', () => {
    fc.assert(
      fc.property(report, (text) => {
        const [labels] = labelReports([text]);
        for (const o of OBSERVATIONS) expect([1, 0, -1, null]).toContain(labels![o]);
        expect([1, null]).toContain(labels!['No Finding']);
        const finding = OBSERVATIONS.some((o) => o !== 'No Finding' && o !== 'Support Devices' && (labels![o] === 1 || labels![o] === -1));
        if (finding) expect(labels!['No Finding']).toBeNull();
      }),
      { seed: 4242, numRuns: 120 },
    );
  });

  it('ignores letter case and runs of whitespace, and labels each report independently', () => {
    fc.assert(
      fc.property(fc.array(report, { minLength: 1, maxLength: 5 }), (texts) => {
        const base = labelReports(texts);
        expect(labelReports(texts.map((t) => t.toUpperCase().split(' ').join('  \n')))).toEqual(base);
        expect(labelReports([...texts].reverse())).toEqual([...base].reverse());
      }),
      { seed: 4243, numRuns: 60 },
    );
  });
});
