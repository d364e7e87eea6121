import { describe, expect, it } from 'vitest';
import { MetricsDataError } from '../errors';
import {
  cardiomediastinumUnmentions,
  cardiomegalyUnmentions,
  loadPhraseTables,
  observationNameOfStem,
  parsePhraseList,
} from './phrase-lists';
import { OBSERVATIONS } from './observations';

describe('parsePhraseList', () => {
  it('strips lines and turns every _ into a space', () => {
    expect(parsePhraseList('_mediastinum\n _line_ \ndrain_', 'x.txt')).toEqual([' mediastinum', ' line ', 'drain ']);
  });
  it('accepts a file with or without a trailing newline', () => {
    expect(parsePhraseList('a\nb\n', 'x.txt')).toEqual(['a', 'b']);
    expect(parsePhraseList('a\nb', 'x.txt')).toEqual(['a', 'b']);
  });
  it('throws on an empty phrase, naming the file and line', () => {
    expect(() => parsePhraseList('a\n\nb\n', 'mention/x.txt')).toThrow(MetricsDataError);
    expect(() => parsePhraseList('a\n   \n', 'mention/x.txt')).toThrow(/mention\/x\.txt:2/);
    expect(() => parsePhraseList('', 'mention/x.txt')).not.toThrow();
  });
});

describe('phrase tables', () => {
  const tables = loadPhraseTables();
  const byKey = new Map(tables.map((t) => [t.key, t]));

  it('names observations by the title-cased file stem', () => {
    expect(observationNameOfStem('pleural_effusion')).toBe('Pleural Effusion');
    expect(tables.map((t) => observationNameOfStem(t.key))).toEqual([...OBSERVATIONS]);
  });

  it('generates 12 × 7 positional unmentions for Cardiomegaly and Enlarged Cardiomediastinum', () => {
    const cm = byKey.get('cardiomegaly')!;
    const ecm = byKey.get('enlarged_cardiomediastinum')!;
    expect(cm.unmentions).toHaveLength(84);
    expect(ecm.unmentions).toHaveLength(84);
    expect(new Set(cm.unmentions).size).toBe(84);
    expect(cm.unmentions).toContain('over the heart');
    expect(cm.unmentions).toContain('in the right cardiac silhouette');
    expect(cm.unmentions.some((u) => u.includes('cardiomegaly'))).toBe(false);
    // the leading-space mention " mediastinum" yields a double space that never matches.
    expect(ecm.unmentions).toContain('overly the superior  mediastinum');
  });

  it('keeps file unmentions for the three observations that have them', () => {
    expect(byKey.get('lung_lesion')!.unmentions).toEqual(['calcified nodul', 'massive', 'massengale']);
    expect(byKey.get('pleural_effusion')!.unmentions).toEqual(['pericardial effusion']);
    expect(byKey.get('pneumonia')!.unmentions).toEqual([]);
    expect(byKey.get('support_devices')!.mentions).toContain(' line ');
  });

  it('derives the unmention lists from the mention lists they are given', () => {
    expect(cardiomegalyUnmentions(['the heart', 'cardiomegaly'])).toHaveLength(12);
    expect(cardiomediastinumUnmentions(['contour'])[0]).toBe('over the contour');
  });
});
