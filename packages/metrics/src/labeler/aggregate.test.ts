import { describe, expect, it } from 'vitest';
import { aggregateMentions, combineLabels } from './aggregate';
import type { LabelledMention } from './aggregate';

describe('combineLabels (CheXpert precedence)', () => {
  it.each([
    [[], null],
    [[1], 1],
    [[0], 0],
    [[-1], -1],
    [[0, -1], -1],
    [[-1, 0], -1],
    [[0, 1], 1],
    [[1, 0], 1],
    [[-1, 1], 1],
    [[1, -1], 1],
    [[0, -1, 1], -1],
    [[1, 0, -1, 1], -1],
    [[0, 0], 0],
    [[-1, -1], -1],
  ] as const)('%j → %j', (labels, expected) => {
    expect(combineLabels(labels)).toBe(expected);
  });
});

const m = (key: LabelledMention['key'], label: LabelledMention['label'], phrase = 'x'): LabelledMention => ({ key, label, phrase });

describe('aggregateMentions', () => {
  it('sets No Finding to 1 with no mentions, and leaves everything else blank', () => {
    const out = aggregateMentions([]);
    expect(out.no_finding).toBe(1);
    expect(Object.values(out).filter((v) => v !== null)).toEqual([1]);
  });

  it('negative mentions keep No Finding; positive or uncertain findings blank it', () => {
    expect(aggregateMentions([m('edema', 0)]).no_finding).toBe(1);
    expect(aggregateMentions([m('edema', -1)]).no_finding).toBeNull();
    expect(aggregateMentions([m('fracture', 1)]).no_finding).toBeNull();
  });

  it('exempts Support Devices from No Finding', () => {
    const out = aggregateMentions([m('support_devices', 1)]);
    expect([out.support_devices, out.no_finding]).toEqual([1, 1]);
  });

  it('other findings (No Finding mentions) only blank No Finding', () => {
    const out = aggregateMentions([m('no_finding', 1, 'granuloma')]);
    expect(Object.values(out).every((v) => v === null)).toBe(true);
    expect(aggregateMentions([m('no_finding', 0, 'granuloma')]).no_finding).toBe(1);
  });

  it('CHF rule: a positive or uncertain chf / heart failure adds −1 to Cardiomegaly', () => {
    expect(aggregateMentions([m('edema', 1, 'chf')]).cardiomegaly).toBe(-1);
    expect(aggregateMentions([m('edema', -1, 'heart failure')]).cardiomegaly).toBe(-1);
    expect(aggregateMentions([m('edema', 0, 'chf')]).cardiomegaly).toBeNull();
    expect(aggregateMentions([m('edema', 1, 'edema')]).cardiomegaly).toBeNull();
    // {0 from "heart size is normal", −1 from CHF} → −1
    expect(aggregateMentions([m('cardiomegaly', 0, 'heart size'), m('edema', 1, 'chf')]).cardiomegaly).toBe(-1);
    expect(aggregateMentions([m('cardiomegaly', 1, 'cardiomegaly'), m('edema', 1, 'chf')]).cardiomegaly).toBe(1);
  });
});
