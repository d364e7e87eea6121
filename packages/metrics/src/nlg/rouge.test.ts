import { describe, expect, it } from 'vitest';
import { camegradHypothesisRewrite } from '../text/scoring-text.js';
import { rougeL } from './rouge.js';

const F = (p: number, r: number): number => (p === 0 || r === 0 ? 0 : ((1 + 1.44) * p * r) / (r + 1.44 * p));

describe('ROUGE-L (pycocoevalcap Rouge, β = 1.2)', () => {
  it('trailing-space anchor of the CAME-Grad rewrite: P = 3/4, R = 1, F = 1.83/2.08', () => {
    const hyp = camegradHypothesisRewrite('no effusion.');
    expect(hyp).toBe('no effusion . ');
    const r = rougeL([hyp], [['no effusion .']]);
    expect(r.perItem[0]).toBeCloseTo(1.83 / 2.08, 15);
    expect(r.corpus).toBeCloseTo(0.879808, 6);
    // Without the trailing empty token it would be a perfect 1.
    expect(rougeL(['no effusion .'], [['no effusion .']]).corpus).toBe(1);
  });

  it('maximises P and R independently over references', () => {
    // ref 1 "a b": LCS 2 → P = 2/4, R = 1; ref 2 "a b c d e f g h": LCS 4 → P = 1, R = 1/2.
    // max P = 1 (ref 2) and max R = 1 (ref 1) combine to F = 1, above either reference alone.
    const r = rougeL(['a b c d'], [['a b', 'a b c d e f g h']]);
    expect(r.corpus).toBe(1);
    expect(rougeL(['a b c d'], [['a b']]).corpus).toBeCloseTo(F(0.5, 1), 15);
  });

  it('splits on single spaces: a double space adds an empty token', () => {
    // "a  b" → ["a", "", "b"]: LCS with ["a", "b"] is 2 → P = 2/3, R = 1.
    expect(rougeL(['a  b'], [['a b']]).corpus).toBeCloseTo(F(2 / 3, 1), 15);
    expect(rougeL(['a  b'], [['a  b']]).corpus).toBe(1);
  });

  it('scores an empty hypothesis 0 and averages items with numpy mean', () => {
    const r = rougeL(['', 'a b c', 'x'], [['a'], ['a c'], ['x y']]);
    // item 2: LCS("a c", "a b c") = 2 → P = 2/3, R = 1; item 3: P = 1, R = 1/2.
    expect(r.perItem[0]).toBe(0);
    expect(r.perItem[1]).toBeCloseTo(F(2 / 3, 1), 15);
    expect(r.perItem[2]).toBeCloseTo(F(1, 0.5), 15);
    expect(r.corpus).toBeCloseTo((0 + F(2 / 3, 1) + F(1, 0.5)) / 3, 15);
  });

  it('LCS is order-sensitive (not bag-of-words)', () => {
    // "c b a" vs "a b c": LCS 1 → P = R = 1/3.
    expect(rougeL(['c b a'], [['a b c']]).corpus).toBeCloseTo(F(1 / 3, 1 / 3), 15);
  });
});
