import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsInputError, MetricsOptionError } from '../errors';
import { OBSERVATIONS } from '../labeler/observations';
import type { CheXpertLabel, CheXpertLabels, Observation } from '../labeler/observations';
import { clinicalEfficacy } from './clinical-efficacy';
import type { ClinicalEfficacyOptions } from './clinical-efficacy';
import { CE_PROTOCOLS } from './protocols';

function rec(partial: Partial<Record<Observation, 1 | 0 | -1>>): CheXpertLabels {
  const out = {} as CheXpertLabels;
  for (const o of OBSERVATIONS) out[o] = partial[o] ?? null;
  return out;
}

const VARIANTS: ClinicalEfficacyOptions[] = (['positive', 'positive-or-uncertain'] as const).flatMap((positive) =>
  (['micro', 'macro', 'example'] as const).flatMap((average) =>
    ([14, 5] as const).map((observations) => ({ positive, average, observations })),
  ),
);

// Hand-computed case (derivation in the comments): 4 reports, imbalanced classes.
const REF = [
  rec({ Cardiomegaly: 1, 'Pleural Effusion': 1 }),
  rec({ Cardiomegaly: 1 }),
  rec({ Cardiomegaly: 1, Edema: 1 }),
  rec({ 'No Finding': 1 }),
];
const PRED = [
  rec({ Cardiomegaly: 1, 'Pleural Effusion': 0 }),
  rec({ Cardiomegaly: 1, Atelectasis: 1 }),
  rec({ Cardiomegaly: -1, Edema: 1 }),
  rec({ 'No Finding': 1, 'Pleural Effusion': 1 }),
];

describe('clinicalEfficacy: hand-computed values', () => {
  it('all-blank references and predictions give 0 in every variant', () => {
    const blank = [rec({}), rec({})];
    for (const opts of VARIANTS) {
      const r = clinicalEfficacy(blank, blank, opts);
      expect([r.precision, r.recall, r.f1]).toEqual([0, 0, 0]);
    }
  });

  it('Edema pos vs Edema unc: 0 when only pos counts; 1 (micro/example) and 1/14 (macro) with uncertain', () => {
    const ref = [rec({ Edema: 1 })];
    const pred = [rec({ Edema: -1 })];
    for (const average of ['micro', 'macro', 'example'] as const) {
      expect(clinicalEfficacy(pred, ref, { positive: 'positive', average, observations: 14 }).f1).toBe(0);
    }
    const unc = (average: 'micro' | 'macro' | 'example', observations: 14 | 5) =>
      clinicalEfficacy(pred, ref, { positive: 'positive-or-uncertain', average, observations });
    expect(unc('micro', 14).f1).toBe(1);
    expect(unc('example', 14).f1).toBe(1);
    expect(unc('macro', 14).f1).toBeCloseTo(1 / 14, 15);
    expect(unc('macro', 14).precision).toBeCloseTo(1 / 14, 15);
    expect(unc('macro', 5).f1).toBeCloseTo(1 / 5, 15);
  });

  it('positive only, 14 labels: micro 2/3, macro F1 0.2, example P = R = 0.75', () => {
    // Per class: No Finding tp1; Cardiomegaly tp2 fn1 (F1 = 2/2.5 = 0.8); Edema tp1;
    // Pleural Effusion fp1 fn1; Atelectasis fp1. Pooled: tp4 fp2 fn2.
    const micro = clinicalEfficacy(PRED, REF, CE_PROTOCOLS.r2gen);
    expect([micro.precision, micro.recall, micro.f1]).toEqual([4 / 6, 4 / 6, 4 / 6]);
    const macro = clinicalEfficacy(PRED, REF, { positive: 'positive', average: 'macro', observations: 14 });
    expect(macro.precision).toBeCloseTo(3 / 14, 15);
    expect(macro.recall).toBeCloseTo((1 + 2 / 3 + 1) / 14, 15);
    expect(macro.f1).toBeCloseTo(2.8 / 14, 15);
    const cm = macro.perClass.find((c) => c.observation === 'Cardiomegaly')!;
    expect(cm).toMatchObject({ tp: 2, fp: 0, fn: 1, support: 3, precision: 1, f1: 0.8 });
    expect(cm.recall).toBeCloseTo(2 / 3, 15);
    // Per report: (P, R) = (1, ½), (½, 1), (1, ½), (½, 1); every F1 = 2/3.
    const ex = clinicalEfficacy(PRED, REF, CE_PROTOCOLS.promptmrg);
    expect([ex.precision, ex.recall]).toEqual([0.75, 0.75]);
    expect(ex.f1).toBeCloseTo(2 / 3, 15);
    expect(micro.f1).not.toBeCloseTo(macro.f1, 3);
    expect(ex.accuracy).toBe(0);
  });

  it('uncertain as positive (CAME-Grad), 14 labels', () => {
    // Cardiomegaly becomes tp3; pooled tp5 fp2 fn1.
    const macro = clinicalEfficacy(PRED, REF, CE_PROTOCOLS['came-grad']);
    expect(macro.precision).toBeCloseTo(3 / 14, 15);
    expect(macro.recall).toBeCloseTo(3 / 14, 15);
    expect(macro.f1).toBeCloseTo(3 / 14, 15);
    expect(macro.accuracy).toBe(0.25);
    const micro = clinicalEfficacy(PRED, REF, { positive: 'positive-or-uncertain', average: 'micro', observations: 14 });
    expect(micro.precision).toBeCloseTo(5 / 7, 15);
    expect(micro.recall).toBeCloseTo(5 / 6, 15);
    expect(micro.f1).toBeCloseTo(10 / 13, 15);
    const ex = clinicalEfficacy(PRED, REF, { positive: 'positive-or-uncertain', average: 'example', observations: 14 });
    expect([ex.precision, ex.recall]).toEqual([0.75, 0.875]);
    expect(ex.f1).toBeCloseTo(0.75, 15);
  });

  it('five competition observations', () => {
    const macro = clinicalEfficacy(PRED, REF, { positive: 'positive', average: 'macro', observations: 5 });
    expect(macro.numLabels).toBe(5);
    expect(macro.perClass.map((c) => c.observation)).toEqual(['Cardiomegaly', 'Edema', 'Consolidation', 'Atelectasis', 'Pleural Effusion']);
    expect(macro.precision).toBeCloseTo(0.4, 15);
    expect(macro.recall).toBeCloseTo(1 / 3, 15);
    expect(macro.f1).toBeCloseTo(0.36, 15);
    const micro = clinicalEfficacy(PRED, REF, { positive: 'positive', average: 'micro', observations: 5 });
    expect([micro.precision, micro.recall, micro.f1]).toEqual([0.6, 0.6, 0.6]);
    expect(clinicalEfficacy(PRED, REF, CE_PROTOCOLS['f1chexbert-5-micro']).accuracy).toBe(0.25);
  });

  it('example-based: a report with no positives on either side scores 0, not 1', () => {
    const r = clinicalEfficacy([rec({ Edema: 1 }), rec({})], [rec({ Edema: 1 }), rec({ Edema: 0 })], CE_PROTOCOLS.promptmrg);
    expect([r.precision, r.recall, r.f1]).toEqual([0.5, 0.5, 0.5]);
  });

  it('DDaTR asymmetry: uncertain predictions count, uncertain references do not', () => {
    const ref = [rec({ Edema: -1 })];
    const pred = [rec({ Edema: -1 })];
    const sym = clinicalEfficacy(pred, ref, { positive: 'positive-or-uncertain', average: 'micro', observations: 14 });
    expect(sym.f1).toBe(1);
    const ddatr = clinicalEfficacy(pred, ref, { ...CE_PROTOCOLS.ddatr, average: 'micro' });
    expect([ddatr.precision, ddatr.recall, ddatr.f1]).toEqual([0, 0, 0]);
    expect(ddatr.perClass.find((c) => c.observation === 'Edema')).toMatchObject({ tp: 0, fp: 1, fn: 0 });
    expect(ddatr.config).toMatchObject({ positive: 'positive-or-uncertain', refPositive: 'positive' });
  });

  it('records the configuration, defaulting to the CAME-Grad protocol', () => {
    expect(clinicalEfficacy(PRED, REF).config).toEqual({
      positive: 'positive-or-uncertain',
      refPositive: 'positive-or-uncertain',
      average: 'macro',
      observations: 14,
      labeler: 'chexpert-style',
      labelerVersion: 'chexpert-style-v1',
    });
    expect(clinicalEfficacy(PRED, REF, { labeler: 'chexbert', labelerVersion: 'x' }).config.labeler).toBe('chexbert');
  });
});

const label = fc.constantFrom<CheXpertLabel>(1, 0, -1, null);
const record = fc.tuple(...OBSERVATIONS.map(() => label)).map((ls) => {
  const out = {} as CheXpertLabels;
  OBSERVATIONS.forEach((o, k) => (out[o] = ls[k]!));
  return out;
});
const pairs = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.tuple(fc.array(record, { minLength: n, maxLength: n }), fc.array(record, { minLength: n, maxLength: n })),
);
const variant = fc.constantFrom(...VARIANTS);

describe('clinicalEfficacy: properties', () => {
  it('is invariant under a permutation of the reports', () => {
    fc.assert(
      fc.property(pairs, variant, fc.integer(), ([pred, ref], opts, seed) => {
        const order = pred.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13) || a - b);
        const a = clinicalEfficacy(pred, ref, opts);
        const b = clinicalEfficacy(order.map((i) => pred[i]!), order.map((i) => ref[i]!), opts);
        expect([b.precision, b.recall, b.f1, b.accuracy]).toEqual([a.precision, a.recall, a.f1, a.accuracy].map((x) => expect.closeTo(x, 12)));
      }),
      { seed: 20260, numRuns: 100 },
    );
  });

  it('is invariant under the key order of the records (labels are exchanged by name)', () => {
    fc.assert(
      fc.property(pairs, variant, ([pred, ref], opts) => {
        const reversed = (r: CheXpertLabels) => Object.fromEntries(Object.entries(r).reverse()) as CheXpertLabels;
        const a = clinicalEfficacy(pred, ref, opts);
        const b = clinicalEfficacy(pred.map(reversed), ref.map(reversed), opts);
        expect(b.f1).toBe(a.f1);
        expect(b.perClass).toEqual(a.perClass);
      }),
      { seed: 20261, numRuns: 100 },
    );
  });

  it('swapping predictions and references swaps P and R and keeps F1 (symmetric binarisation)', () => {
    fc.assert(
      fc.property(pairs, variant, ([pred, ref], opts) => {
        const a = clinicalEfficacy(pred, ref, opts);
        const b = clinicalEfficacy(ref, pred, opts);
        expect(b.precision).toBeCloseTo(a.recall, 12);
        expect(b.recall).toBeCloseTo(a.precision, 12);
        expect(b.f1).toBeCloseTo(a.f1, 12);
        for (const x of [a.precision, a.recall, a.f1]) expect(x >= 0 && x <= 1).toBe(true);
      }),
      { seed: 20262, numRuns: 100 },
    );
  });
});

describe('clinicalEfficacy: bad input', () => {
  const catchErr = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error('expected a throw');
  };

  it('length mismatch names refLabels', () => {
    const e = catchErr(() => clinicalEfficacy([rec({})], [rec({}), rec({})])) as MetricsInputError;
    expect(e).toBeInstanceOf(MetricsInputError);
    expect(e.field).toBe('refLabels');
    expect(e.message).toBe('`refLabels` should be an array of the same length as predLabels (1). Found length 2.');
  });

  it('a label outside {1, 0, -1, null} names field, index and observation', () => {
    const bad = [rec({}), { ...rec({}), Edema: 2 } as unknown as CheXpertLabels];
    const e = catchErr(() => clinicalEfficacy(bad, [rec({}), rec({})])) as MetricsInputError;
    expect(e).toBeInstanceOf(MetricsInputError);
    expect([e.field, e.index]).toEqual(['predLabels', 1]);
    expect(e.message).toBe('`predLabels[1]` should be a label record whose "Edema" is 1, 0, -1 or null. Found number 2.');
    const str = [{ ...rec({}), Edema: 'pos' } as unknown as CheXpertLabels];
    expect(() => clinicalEfficacy([rec({})], str)).toThrow(/`refLabels\[0\]`.*"Edema".*the string "pos"/);
  });

  it('unknown observation names, missing observations and non-records are rejected', () => {
    const typo = [{ ...rec({}), Edma: 1 } as unknown as CheXpertLabels];
    expect(() => clinicalEfficacy(typo, [rec({})])).toThrow(/`predLabels\[0\]`.*Found the key "Edma"/);
    const { Edema: _drop, ...missing } = rec({});
    expect(() => clinicalEfficacy([missing as CheXpertLabels], [rec({})])).toThrow(/label for "Edema"/);
    // The five-label variant only needs the five.
    const { 'Support Devices': _sd, ...noDevices } = rec({ Edema: 1 });
    expect(clinicalEfficacy([noDevices as CheXpertLabels], [rec({ Edema: 1 })], { observations: 5, average: 'micro' }).f1).toBe(1);
    expect(() => clinicalEfficacy([null as unknown as CheXpertLabels], [rec({})])).toThrow(MetricsInputError);
    expect(() => clinicalEfficacy('x' as unknown as CheXpertLabels[], [])).toThrow(/`predLabels` should be an array/);
  });

  it('unknown option values are MetricsOptionError', () => {
    expect(() => clinicalEfficacy([], [], { average: 'weighted' as 'micro' })).toThrow(MetricsOptionError);
    expect(() => clinicalEfficacy([], [], { observations: 13 as 14 })).toThrow(/`observations` should be one of 14, 5/);
    expect(() => clinicalEfficacy([], [], { positive: 'pos' as 'positive' })).toThrow(/`positive`/);
  });

  it('empty inputs score 0', () => {
    expect(clinicalEfficacy([], []).f1).toBe(0);
  });
});
