import { describe, expect, it } from 'vitest';
import { MetricsInputError, MetricsOptionError } from '../errors';
import { labelReport, labelReports } from '../labeler/label-report';
import { OBSERVATION_KEYS } from '../labeler/observations';
import type { KeyedLabels, Label, ObservationKey } from '../labeler/observations';
import { ceMetrics } from './ce-metrics';
import { clinicalEfficacy } from './clinical-efficacy';

function keyed(partial: Partial<Record<ObservationKey, Label>>): KeyedLabels {
  const out = {} as KeyedLabels;
  for (const k of OBSERVATION_KEYS) out[k] = partial[k] ?? 'blank';
  return out;
}

describe('ceMetrics (spec §7 signature)', () => {
  it('one report, Edema pos vs unc: pos → 0, pos_or_unc → 1 (micro, example), 1/14 (macro)', () => {
    const refs = [keyed({ edema: 'pos' })];
    const hyps = [keyed({ edema: 'unc' })];
    expect(ceMetrics(refs, hyps, { positive: 'pos', average: 'micro' }).f1).toBe(0);
    expect(ceMetrics(refs, hyps, { positive: 'pos_or_unc', average: 'micro' }).f1).toBe(1);
    expect(ceMetrics(refs, hyps, { positive: 'pos_or_unc', average: 'example' }).f1).toBe(1);
    expect(ceMetrics(refs, hyps, { positive: 'pos_or_unc', average: 'macro' }).f1).toBeCloseTo(1 / 14, 15);
    expect(ceMetrics(refs, hyps, { positive: 'pos_or_unc', average: 'macro', labels: 'five' }).f1).toBeCloseTo(1 / 5, 15);
  });

  it('DDaTR: gtPositive pos with pos_or_unc predictions', () => {
    const r = ceMetrics([keyed({ edema: 'unc' })], [keyed({ edema: 'unc' })], { positive: 'pos_or_unc', gtPositive: 'pos', average: 'macro' });
    expect(r.f1).toBe(0);
    expect(r.config.refPositive).toBe('positive');
  });

  it('gives the same numbers as clinicalEfficacy on labeler output', () => {
    const refs = ['Mild cardiomegaly. Small left pleural effusion.', 'No acute disease.', 'Possible pneumonia.'];
    const hyps = ['Heart size is normal. Small left effusion.', 'No pneumothorax.', 'Pneumonia is present. Atelectasis.'];
    const a = ceMetrics(refs.map((t) => labelReport(t).labels), hyps.map((t) => labelReport(t).labels), {
      positive: 'pos_or_unc',
      average: 'macro',
    });
    const b = clinicalEfficacy(labelReports(hyps), labelReports(refs), { positive: 'positive-or-uncertain', average: 'macro', observations: 14 });
    expect(a).toEqual(b);
    expect(a.f1).toBeGreaterThan(0);
  });

  it('rejects malformed records and options with typed errors', () => {
    const bad = [{ ...keyed({}), edema: 'maybe' } as unknown as KeyedLabels];
    try {
      ceMetrics([keyed({})], bad, { positive: 'pos', average: 'micro' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MetricsInputError);
      expect((e as MetricsInputError).field).toBe('hyps');
      expect((e as MetricsInputError).index).toBe(0);
      expect((e as Error).message).toMatch(/"edema" is 'pos', 'neg', 'unc' or 'blank'. Found the string "maybe"/);
    }
    expect(() => ceMetrics([keyed({})], [], { positive: 'pos', average: 'micro' })).toThrow(/`hyps` should be an array of the same length as refs \(1\)/);
    expect(() => ceMetrics([{ ...keyed({}), Edema: 'pos' } as unknown as KeyedLabels], [keyed({})], { positive: 'pos', average: 'micro' })).toThrow(
      /`refs\[0\]`.*Found the key "Edema"/,
    );
    expect(() => ceMetrics([], [], { positive: 'positive' as 'pos', average: 'micro' })).toThrow(MetricsOptionError);
    expect(() => ceMetrics([], [], { positive: 'pos', average: 'micro', labels: 'all' as 'five' })).toThrow(/`labels`/);
  });
});
