import { describe, expect, it } from 'vitest';
import { MetricsOptionError } from '../errors.js';
import { METEOR_APPROX_LABEL, createMeteorScorer, meteor } from './meteor.js';
import { METEOR_DEFAULTS, addStats, emptyStats, meteorScoreFromStats } from './stats.js';

const full = createMeteorScorer();
const one = (h: string, r: string): number => full.score([h], [[r]]).corpus;

describe('METEOR_approx (exact + stem + synonym, no paraphrase)', () => {
  it('carries the mandatory label', () => {
    expect(METEOR_APPROX_LABEL).toBe('METEOR (approximation: exact+stem+synonym, no paraphrase table; not comparable to published METEOR)');
    expect(full.score(['a'], [['a']]).label).toBe(METEOR_APPROX_LABEL);
  });

  it('an exact match gives the maximum, 1', () => {
    expect(one('the lungs are clear .', 'the lungs are clear .')).toBe(1);
    expect(one('No Pleural Effusion.', 'no pleural effusion .')).toBe(1);
  });

  it('a stem-only match scores below the exact match, a synonym match in between the stem and no match', () => {
    const exact = one('no pleural effusions', 'no pleural effusions');
    const stem = one('no pleural effusion', 'no pleural effusions');
    const none = one('no pleural opacity', 'no pleural effusions');
    expect(stem).toBeLessThan(exact);
    expect(none).toBeLessThan(stem);
    // "is" ↔ "are" share WordNet's "be" synsets through the verb exception list.
    const syn = one('the lungs is clear', 'the lungs are clear');
    const unmatched = one('the lungs seem clear', 'the lungs are clear');
    expect(syn).toBeLessThan(1);
    expect(syn).toBeGreaterThan(unmatched);
  });

  it('hand-computed worked example: stem + synonym, one chunk', () => {
    // test "the lung is clear ." / ref "the lungs are clear .": function words the, is/are, "." (3),
    // content lung(s), clear (2). Matches: the, clear, "." exact; lung~lungs stem (0.6); is~are synonym (0.8).
    // P = R = [0.75·(1 + 0.6) + 0.25·(1 + 1 + 0.8)] / [0.75·2 + 0.25·3] = 1.9 / 2.25; one chunk covering
    // every word → no fragmentation penalty (Meteor's perfect-alignment rule) → score = 1.9 / 2.25.
    expect(one('the lung is clear .', 'the lungs are clear .')).toBeCloseTo(1.9 / 2.25, 14);
  });

  it('hand-computed worked example: fragmentation penalty', () => {
    // test "lungs clear" / ref "the lungs are clear .": 2 exact content matches, 2 chunks (ref positions 1, 3).
    // P = 0.75·2 / (0.75·2) = 1; R = 0.75·2 / (0.75·2 + 0.25·3) = 1.5/2.25 = 2/3.
    // Fmean = 1 / (0.15/1 + 0.85/(2/3)) = 1/1.425; Pen = 0.6·(2/2)^0.2 = 0.6 → score = 0.4/1.425.
    expect(one('lungs clear', 'the lungs are clear .')).toBeCloseTo(0.4 / 1.425, 14);
  });

  it('empty hypothesis scores 0; the best of several references is used', () => {
    expect(one('', 'no effusion')).toBe(0);
    const r = full.score(['no effusion'], [['heart normal', 'no effusion']]);
    expect(r.perItem[0]).toBe(1);
  });

  it('corpus value comes from summed statistics, with perfect segments adding no chunks', () => {
    const r = full.score(['lungs clear', 'no effusion'], [['the lungs are clear .'], ['no effusion']]);
    const total = emptyStats();
    for (const s of r.stats) addStats(total, s);
    // Segment 2 is perfect (1 chunk, not added): chunks = 2, matches = (2+2 + 2+2)/2 = 4 per side.
    expect(total.chunks).toBe(2);
    expect(r.corpus).toBe(meteorScoreFromStats(total, METEOR_DEFAULTS));
    expect(r.corpus).not.toBeCloseTo(((r.perItem[0] as number) + (r.perItem[1] as number)) / 2, 6);
  });

  it('tokenises like -norm: hyphens between word characters split, punctuation separated', () => {
    // "well-expanded" becomes "well expanded", so it fully matches the spaced reference.
    expect(one('well-expanded lungs.', 'well expanded lungs .')).toBe(1);
  });

  it('validates options and inputs', () => {
    expect(() => createMeteorScorer({ modules: ['stem'] })).toThrow(MetricsOptionError);
    expect(() => createMeteorScorer({ beamSize: 0 })).toThrow(MetricsOptionError);
    expect(() => meteor(['a'], [[]], full)).toThrow('`refs[0]` should be a non-empty array of reference strings. Found an empty array.');
  });

  it('the function-word list can be replaced (e.g. by Meteor’s own)', () => {
    const none = createMeteorScorer({ functionWords: new Set<string>() });
    // With no function words every word is content: "lungs clear" vs 5 ref words → R = 2/5.
    const expected = (1 / (0.15 / 1 + 0.85 / 0.4)) * 0.4;
    expect(none.score(['lungs clear'], [['the lungs are clear .']]).corpus).toBeCloseTo(expected, 14);
  });
});
