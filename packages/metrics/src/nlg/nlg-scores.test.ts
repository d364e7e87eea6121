import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsError, MetricsInputError, MetricsOptionError } from '../errors.js';
import { METEOR_APPROX_LABEL, createMeteorScorer } from '../meteor/meteor.js';
import { bleu } from './bleu.js';
import { ciderD } from './cider.js';
import { computeNlgScores, nlgScores } from './nlg-scores.js';
import { rougeL } from './rouge.js';

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const scorer = createMeteorScorer({ modules: ['exact', 'stem'] });

// Edge-case set: empty hypothesis, one token, shorter than n, several references, the CAME-Grad
// trailing space, a leading/double space. Expected values come from an independent float64 Python
// transcription of pycocoevalcap's bleu_scorer / rouge / cider_scorer (numpy 2.4), run by the
// author while writing this test; they agree with the hand derivations in bleu/rouge/cider tests.
const EDGE_HYPS = ['', 'a', 'a b', 'no effusion . ', ' lead  space', 'x y z w v'];
const EDGE_REFS = [['a b c'], ['a'], ['a b', 'b a c'], ['no effusion .'], ['lead space'], ['x y z', 'x y z w v u t']];
const PY = {
  bleu: [0.9259610784998609, 0.9259610784776021, 0.9259610784316009, 0.9259610783507277],
  bleuPer3: [0.9999999993333338, 0.9999999992500005, 0.9999999990555564, 0.03162277657664911],
  rouge: 0.7648516696481812,
  rougePer: [0, 1, 1, 0.8798076923076923, 0.7093023255813954, 1],
  cider: 4.0988081190726176,
  ciderPer: [0, 2.5, 3.4412648217980744, 7.5, 5, 6.151583892637628],
};

describe('nlgScores / computeNlgScores', () => {
  it('agrees with the pycocoevalcap transcription on the edge-case set to 1e-12 relative', () => {
    const s = nlgScores(EDGE_HYPS, EDGE_REFS, { meteorScorer: scorer });
    s.bleu.forEach((v, k) => expect(rel(v, PY.bleu[k] as number)).toBeLessThan(1e-12));
    (s.perItem[3]?.bleu ?? []).forEach((v, k) => expect(rel(v, PY.bleuPer3[k] as number)).toBeLessThan(1e-12));
    expect(rel(s.rougeL, PY.rouge)).toBeLessThan(1e-12);
    expect(rel(s.cider, PY.cider)).toBeLessThan(1e-12);
    s.perItem.forEach((item, k) => {
      expect(rel(item.rougeL, PY.rougePer[k] as number)).toBeLessThan(1e-12);
      expect(rel(item.cider, PY.ciderPer[k] as number)).toBeLessThan(1e-12);
    });
    expect(s.perItem[0]?.bleu).toEqual([0, 0, 0, 0]);
    expect(s.meteorLabel).toBe(METEOR_APPROX_LABEL);
  });

  it('has the pinned shape and matches the individual metrics', () => {
    const hyps = ['the heart is normal .', 'no effusion .'];
    const refs = [['the heart size is normal .'], ['no pleural effusion .']];
    const s = nlgScores(hyps, refs, { meteorScorer: scorer });
    expect(s.bleu).toEqual(bleu(hyps, refs).corpus);
    expect(s.rougeL).toBe(rougeL(hyps, refs).corpus);
    expect(s.cider).toBe(ciderD(hyps, refs).corpus);
    expect(s.perItem).toHaveLength(2);
    expect(Object.keys(s.perItem[0] ?? {}).sort()).toEqual(['bleu', 'cider', 'meteor', 'rougeL']);
    expect(s.meteor).toBeGreaterThan(0);
    expect(s.meteor).toBeLessThan(1);
  });

  it('computeNlgScores uses pycocoevalcap keys and its input contract', () => {
    const gts = { '0': ['no effusion .'], '1': ['the lungs are clear .', 'lungs clear .'] };
    const res = { '1': ['the lungs are clear .'], '0': ['no effusion . '] };
    const out = computeNlgScores(gts, res, { metrics: ['BLEU', 'ROUGE_L', 'CIDEr'] });
    expect(Object.keys(out.corpus)).toEqual(['Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'ROUGE_L', 'CIDEr']);
    expect(out.perItem.ROUGE_L?.[0]).toBeCloseTo(1.83 / 2.08, 15);
    expect(out.perItem.ROUGE_L?.[1]).toBe(1);
    expect(() => computeNlgScores(gts, { '0': ['x'] })).toThrow(MetricsInputError);
    expect(() => computeNlgScores(gts, { '0': ['x'], '1': ['a', 'b'] })).toThrow('`res["1"]` should be an array holding exactly one hypothesis. Found an array of length 2.');
    expect(() => computeNlgScores(gts, res, { metrics: ['SPICE' as 'BLEU'] })).toThrow(MetricsOptionError);
  });

  it('throws typed errors naming the index for bad input', () => {
    const cases: [unknown, unknown, string][] = [
      [['a', 3], [['a'], ['b']], '`hyps[1]` should be a string. Found number 3.'],
      [['a'], [['a'], ['b']], '`refs` should be an array of 1 reference lists, one per hypothesis. Found an array of length 2.'],
      [['a', 'b'], [['a'], []], '`refs[1]` should be a non-empty array of reference strings. Found an empty array.'],
      [['a'], [['a', null]], '`refs[0][1]` should be a string. Found null.'],
      [['a'], ['a'], '`refs[0]` should be an array of reference strings. Found the string "a".'],
      [[], [], '`hyps` should be a non-empty array (pycocoevalcap cannot score an empty set). Found an empty array.'],
      ['a', [['a']], '`hyps` should be an array of strings. Found the string "a".'],
    ];
    for (const [h, r, msg] of cases) {
      for (const f of [bleu, rougeL, ciderD]) {
        let err: unknown;
        try {
          f(h as string[], r as string[][]);
        } catch (e) {
          err = e;
        }
        expect(MetricsError.isInstance(err)).toBe(true);
        expect((err as Error).message).toBe(msg);
      }
    }
    const e = (() => {
      try {
        nlgScores(['a', 'b'], [['a'], []]);
      } catch (x) {
        return x as MetricsInputError;
      }
      return undefined;
    })();
    expect(e?.field).toBe('refs');
    expect(e?.index).toBe(1);
  });

  it('corpus values are invariant under a permutation of items (fast-check, fixed seed)', () => {
    const word = fc.constantFrom('the', 'heart', 'is', 'normal', 'no', 'effusion', '.', 'lungs', 'clear', 'size');
    const text = fc.array(word, { minLength: 0, maxLength: 9 }).map((w) => w.join(' '));
    const item = fc.tuple(text, fc.array(text, { minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), fc.integer(), (items, salt) => {
        const perm = items.map((_, i) => i).sort((a, b) => ((a * 7919 + salt) % 13) - ((b * 7919 + salt) % 13) || a - b);
        const h1 = items.map((x) => x[0]);
        const r1 = items.map((x) => x[1]);
        const h2 = perm.map((i) => h1[i] as string);
        const r2 = perm.map((i) => r1[i] as string[]);
        const b1 = bleu(h1, r1).corpus;
        const b2 = bleu(h2, r2).corpus;
        b1.forEach((v, k) => expect(v).toBe(b2[k]));
        expect(rougeL(h2, r2).corpus).toBeCloseTo(rougeL(h1, r1).corpus, 13);
        expect(ciderD(h2, r2).corpus).toBeCloseTo(ciderD(h1, r1).corpus, 12);
        const m1 = scorer.score(h1, r1).corpus;
        expect(scorer.score(h2, r2).corpus).toBeCloseTo(m1, 13);
      }),
      { seed: 20261126, numRuns: 60 },
    );
  });
});
