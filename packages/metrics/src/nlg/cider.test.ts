import { describe, expect, it } from 'vitest';
import { ciderD } from './cider.js';

describe('CIDEr-D (pycocoevalcap Cider)', () => {
  it('a one-item set scores 0 (every idf is ln 1 − ln 1)', () => {
    expect(ciderD(['the heart is normal'], [['the heart is normal']])).toEqual({ corpus: 0, perItem: [0] });
  });

  it('hand-computed two-item set with the Gaussian length penalty on bigram counts', () => {
    // N = 2, L = ln 2. Item 1: hyp "a b", ref "a b c"; item 2: hyp "x", ref "y z" (no overlap → 0).
    // Every reference n-gram has df = 1, so every weight is L. Hyp 1: unigrams a,b; bigram ab.
    // Ref 1: unigrams a,b,c; bigrams ab,bc; trigram abc.
    //   sim1 = 2L² / (√2·L · √3·L) = 2/√6,  sim2 = L² / (L · √2·L) = 1/√2,  sim3 = sim4 = 0.
    //   Lengths are bigram counts: 1 vs 2 → penalty e^(−1/72).
    //   score = 10 · (2/√6 + 1/√2) / 4 · e^(−1/72) ≈ 3.7566.
    const r = ciderD(['a b', 'x'], [['a b c'], ['y z']]);
    const item1 = (10 * (2 / Math.sqrt(6) + 1 / Math.sqrt(2))) / 4 * Math.exp(-1 / 72);
    expect(r.perItem[0]).toBeCloseTo(item1, 13);
    expect(r.perItem[1]).toBe(0);
    expect(r.corpus).toBeCloseTo(item1 / 2, 13);
    expect(item1).toBeCloseTo(3.75647, 4);
  });

  it('identity: each item scores 10·q/4, q = orders with an n-gram of df < N', () => {
    // Item 1 "a b c d" is contained in item 2's reference, so all its n-grams have df = N = 2:
    // zero weights, q = 0, score 0. Item 2 has "x", "d x", "c d x", "b c d x" with df 1: q = 4 → 10.
    const texts = ['a b c d', 'a b c d x y'];
    const r = ciderD(texts, texts.map((t) => [t]));
    expect(r.perItem[0]).toBe(0);
    expect(r.perItem[1]).toBeCloseTo(10, 12);
    // Three disjoint 4-word items: everything has df = 1 < 3 → 10 each.
    const disjoint = ['p q r s', 't u v w', 'k l m n'];
    const d = ciderD(disjoint, disjoint.map((t) => [t]));
    d.perItem.forEach((v) => expect(v).toBeCloseTo(10, 12));
    // Three-word items have no 4-grams: q = 3 → 7.5.
    const short = ['p q r', 't u v'];
    ciderD(short, short.map((t) => [t])).perItem.forEach((v) => expect(v).toBeCloseTo(7.5, 12));
  });

  it('per-item scores depend on the whole set (idf), corpus values do not depend on order', () => {
    // The third item shares "the heart" with item 1's reference, changing its df and so the
    // relative weights of item 1's n-grams (a uniform rescaling alone would cancel in the cosine).
    const hyps = ['the heart is normal', 'no effusion', 'the heart is enlarged'];
    const refs = [['the heart size is normal'], ['no pleural effusion'], ['the heart is enlarged']];
    const two = ciderD(hyps.slice(0, 2), refs.slice(0, 2));
    const three = ciderD(hyps, refs);
    expect(two.perItem[0]).not.toBeCloseTo(three.perItem[0] as number, 6);
    const rev = ciderD([...hyps].reverse(), [...refs].reverse());
    expect(rev.corpus).toBeCloseTo(three.corpus, 13);
    expect([...rev.perItem].reverse()).toEqual(three.perItem);
  });

  it('averages over several references and ignores whitespace runs', () => {
    const a = ciderD(['a b c', 'x y'], [['a b c', 'a b d'], ['x y']]);
    const b = ciderD(['a  b\tc', 'x y'], [['a b c', 'a b  d'], ['x y']]);
    expect(a).toEqual(b);
    // Hypothesis n-grams absent from every reference only enlarge the hypothesis norm.
    const extra = ciderD(['a b c zzz', 'x y'], [['a b c', 'a b d'], ['x y']]);
    expect(extra.perItem[0]).toBeLessThan(a.perItem[0] as number);
  });
});
