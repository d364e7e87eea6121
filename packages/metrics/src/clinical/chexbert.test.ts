import { describe, expect, it } from 'vitest';
import { MetricsInputError } from '../errors';
import { OBSERVATIONS } from '../labeler/observations';
import { CHEXBERT_OBSERVATIONS, fromCheXbertClasses } from './chexbert';
import { clinicalEfficacy } from './clinical-efficacy';

describe('fromCheXbertClasses', () => {
  it('maps class indices in CheXbert order to CheXpert values by name', () => {
    expect([...CHEXBERT_OBSERVATIONS].sort()).toEqual([...OBSERVATIONS].sort());
    // Lung Opacity (column 2) uncertain, Lung Lesion (3) positive, Edema (4) negative, No Finding (13) blank.
    const [r] = fromCheXbertClasses([[0, 0, 3, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    expect(r).toMatchObject({ 'Lung Opacity': -1, 'Lung Lesion': 1, Edema: 0, 'No Finding': null, Cardiomegaly: null });
    const [nf] = fromCheXbertClasses([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]);
    expect(nf!['No Finding']).toBe(1);
  });

  it('feeds clinicalEfficacy', () => {
    const pred = fromCheXbertClasses([[0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    const ref = fromCheXbertClasses([[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    expect(clinicalEfficacy(pred, ref, { positive: 'positive-or-uncertain', average: 'micro', observations: 14 }).f1).toBe(1);
  });

  it('rejects malformed rows with the row index', () => {
    expect(() => fromCheXbertClasses([[0, 0]])).toThrow(MetricsInputError);
    expect(() => fromCheXbertClasses([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]], 'hyps')).toThrow(
      '`hyps[0]` should be a row whose column 13 (No Finding) is an integer in 0..1. Found number 3.',
    );
    expect(() => fromCheXbertClasses([[0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]])).toThrow(/column 2 \(Lung Opacity\)/);
  });
});
