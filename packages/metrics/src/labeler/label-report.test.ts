import { describe, expect, it } from 'vitest';
import { MetricsInputError, MetricsOptionError } from '../errors';
import { LABELER_VERSION, labelReport, labelReports } from './label-report';
import { OBSERVATION_KEYS } from './observations';

describe('labelReport', () => {
  it('returns enum labels keyed by observation key with a trace of every mention', () => {
    const r = labelReport('No pneumothorax. Possible small right pleural effusion.');
    expect(r.labelerVersion).toBe(LABELER_VERSION);
    expect(Object.keys(r.labels)).toEqual([...OBSERVATION_KEYS]);
    expect(r.labels.pneumothorax).toBe('neg');
    expect(r.labels.pleural_effusion).toBe('unc');
    expect(r.labels.no_finding).toBe('blank');
    expect(r.labels.edema).toBe('blank');
    expect(r.sentences).toEqual(['no pneumothorax.', 'possible small right pleural effusion.']);
    expect(r.mentions).toEqual([
      {
        observation: 'Pneumothorax',
        phrase: 'pneumothorax',
        sentence: 0,
        span: [3, 15],
        label: 0,
        rule: 'negation',
        cue: { phrase: 'no', cls: 'negation', direction: 'forward', tokens: [0, 1] },
      },
      {
        observation: 'Pleural Effusion',
        phrase: 'effusion',
        sentence: 1,
        span: [29, 37],
        label: -1,
        rule: 'postNegation',
        cue: { phrase: 'possible', cls: 'postNegation', direction: 'forward', tokens: [0, 1] },
      },
    ]);
    expect(r.sentences[1]!.slice(29, 37)).toBe('effusion');
  });

  it('records the stability and congestion rules', () => {
    expect(labelReport('Stable cardiomediastinal silhouette.').mentions[0]).toMatchObject({ rule: 'stability', label: -1 });
    expect(labelReport('Mild vascular congestion.').mentions[0]).toMatchObject({ rule: 'congestion', label: -1, cue: undefined });
  });

  it('labels an empty report as No Finding', () => {
    expect(labelReport('').labels.no_finding).toBe('pos');
    expect(labelReports([''])[0]!['No Finding']).toBe(1);
  });

  it('agrees with labelReports', () => {
    const texts = ['Mild cardiomegaly.', 'Lungs are clear.'];
    const many = labelReports(texts);
    texts.forEach((t, n) => {
      expect(labelReport(t).labels.cardiomegaly).toBe(many[n]!.Cardiomegaly === 1 ? 'pos' : 'blank');
    });
  });
});

describe('labeler input errors', () => {
  it('names the index of a non-string report', () => {
    try {
      labelReports(['ok', 42 as unknown as string]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MetricsInputError);
      expect((e as MetricsInputError).index).toBe(1);
      expect((e as Error).message).toBe('`reports[1]` should be a string. Found number 42.');
    }
    expect(() => labelReports('x' as unknown as string[])).toThrow(/`reports` should be an array of strings/);
    expect(() => labelReport(null as unknown as string)).toThrow(/`text` should be a string. Found null/);
  });

  it('rejects an unknown labeler version', () => {
    expect(() => labelReports([], { version: 'v2' as typeof LABELER_VERSION })).toThrow(MetricsOptionError);
  });
});
