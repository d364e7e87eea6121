import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clinicalEfficacy } from '../clinical/clinical-efficacy';
import { labelReports } from './label-report';
import { OBSERVATIONS } from './observations';
import type { CheXpertLabel, CheXpertLabels, Observation } from './observations';

// Accuracy on real report text: 100 IU X-Ray reports hand-labelled under the CheXpert conventions
// (fixtures/iu-xray-hand-labels.json holds ids and labels only). The report text is read in place
// from ../shared/data/iu_xray (its licence forbids copying it into the package).
const here = dirname(fileURLToPath(import.meta.url));
const annotation = process.env['IU_XRAY_ANNOTATION'] ?? join(here, '..', '..', '..', '..', '..', 'shared', 'data', 'iu_xray', 'annotation.json');

interface HandLabelled {
  id: string;
  split: string;
  labels: Partial<Record<Observation, 1 | 0 | -1>>;
}

// Floors are the figures measured with chexpert-style-v1 (README "Measured accuracy"); a rule
// change that loses agreement on any observation fails here.
const FLOOR: Partial<Record<Observation, number>> = { 'No Finding': 0.94, Cardiomegaly: 0.88 };
const DEFAULT_FLOOR = 0.98;

describe.skipIf(!existsSync(annotation))('labeler accuracy on hand-labelled IU X-Ray reports', () => {
  const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'iu-xray-hand-labels.json'), 'utf8')) as { reports: HandLabelled[] };
  const data = JSON.parse(readFileSync(annotation, 'utf8')) as Record<string, { id: string; report: string }[]>;
  const text = new Map<string, string>();
  for (const split of Object.values(data)) for (const r of split) text.set(r.id, r.report);
  const hand: CheXpertLabels[] = fixture.reports.map((r) => {
    const out = {} as CheXpertLabels;
    for (const o of OBSERVATIONS) out[o] = (r.labels[o] ?? null) as CheXpertLabel;
    return out;
  });
  const ours = labelReports(fixture.reports.map((r) => text.get(r.id)!));

  it('covers 100 distinct reports that exist in the annotation', () => {
    expect(new Set(fixture.reports.map((r) => r.id)).size).toBe(100);
    expect(fixture.reports.every((r) => text.has(r.id))).toBe(true);
  });

  it('agrees with the hand labels per observation at or above the measured floors', () => {
    let agreeAll = 0;
    for (const o of OBSERVATIONS) {
      const agree = hand.filter((h, n) => h[o] === ours[n]![o]).length;
      agreeAll += agree;
      expect({ observation: o, agreement: agree / hand.length >= (FLOOR[o] ?? DEFAULT_FLOOR) }).toEqual({ observation: o, agreement: true });
    }
    expect(agreeAll / (hand.length * OBSERVATIONS.length)).toBeGreaterThanOrEqual(0.984);
  });

  it('matches exactly on at least 84 reports', () => {
    const exact = hand.filter((h, n) => OBSERVATIONS.every((o) => h[o] === ours[n]![o])).length;
    expect(exact).toBeGreaterThanOrEqual(84);
  });

  it('scores close to the hand labels as CE (uncertain as positive, micro): P ≥ 0.90, R ≥ 0.94', () => {
    const ce = clinicalEfficacy(ours, hand, { positive: 'positive-or-uncertain', average: 'micro', observations: 14 });
    expect(ce.precision).toBeGreaterThanOrEqual(0.9);
    expect(ce.recall).toBeGreaterThanOrEqual(0.94);
    expect(ce.f1).toBeGreaterThanOrEqual(0.92);
  });
});
