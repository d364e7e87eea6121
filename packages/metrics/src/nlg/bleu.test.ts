import { describe, expect, it } from 'vitest';
import { bleu } from './bleu.js';

const TINY = 1e-15;
const SMALL = 1e-9;
const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const expectClose = (actual: readonly number[], expected: readonly number[], tol = 1e-12): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(rel(a, expected[i] as number), `index ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
};

describe('BLEU (pycocoevalcap Bleu(4), closest)', () => {
  it('one-token exact match: BLEU-1 ≈ 1 and the epsilon artefacts 1e-3, 1e-4, 10^-4.5', () => {
    const r = bleu(['a'], [['a']]);
    // correct = guess = [1,0,0,0]; p1 = (1+1e-15)/(1+1e-9); p_k = 1e-15/1e-9 = 1e-6 for k ≥ 2.
    // ratio = (1+1e-15)/(1+1e-9) < 1, so BP = exp(1 − 1/ratio) ≈ 1 − 1e-9 is applied.
    const p1 = (1 + TINY) / (1 + SMALL);
    const pk = TINY / SMALL;
    const bp = Math.exp(1 - 1 / ((1 + TINY) / (1 + SMALL)));
    const expected = [p1 * bp, Math.sqrt(p1 * pk) * bp, Math.cbrt(p1 * pk * pk) * bp, (p1 * pk ** 3) ** 0.25 * bp];
    expectClose(r.corpus, expected);
    expectClose(r.perItem[0] as number[], expected);
    expectClose(r.corpus, [1, 1e-3, 1e-4, 10 ** -4.5], 2e-9);
  });

  it('empty hypothesis scores exactly 0 (BP underflows)', () => {
    const r = bleu([''], [['a b c']]);
    expect(r.corpus).toEqual([0, 0, 0, 0]);
    expect(r.perItem).toEqual([[0, 0, 0, 0]]);
  });

  it('hypothesis shorter than n: guess 0 for the missing orders', () => {
    // "a b" vs "a b": correct = guess = [2,1,0,0]. BLEU-3 = (1·1·1e-6)^(1/3) = 1e-2, BLEU-4 = (1e-12)^(1/4) = 1e-3.
    const r = bleu(['a b'], [['a b']]);
    expectClose(r.corpus, [1, 1, 1e-2, 1e-3], 2e-9);
  });

  it("'closest' reference length breaks ties towards the shorter reference", () => {
    // c = 3; refs of length 2 and 4 are equidistant → r = 2, ratio 1.5 ≥ 1 → no BP.
    // With r = 4 the BP would be exp(1 − 4/3) ≈ 0.7165, so the test distinguishes the two.
    const r = bleu(['a b c'], [['a b', 'a b c d']]);
    // unigrams a,b,c all clipped to 1 → 3/3; bigrams ab, bc in ref 2 → 2/2; trigram abc → 1/1; no 4-gram.
    const p = [(3 + TINY) / (3 + SMALL), (2 + TINY) / (2 + SMALL), (1 + TINY) / (1 + SMALL), TINY / SMALL];
    expectClose(r.corpus, [p[0]!, Math.sqrt(p[0]! * p[1]!), Math.cbrt(p[0]! * p[1]! * p[2]!), (p[0]! * p[1]! * p[2]! * p[3]!) ** 0.25]);
  });

  it('clips with the maximum count over references, not their sum', () => {
    // "the" ×4 vs refs with 1 and 2 "the": clip = 2 (a sum would give 3). Bigram "the the": max 1.
    // Closest length to 4 is 3 → ratio 4/3, no BP. BLEU-2 = sqrt(2/4 · 1/3) = sqrt(1/6).
    const r = bleu(['the the the the'], [['the cat', 'the the mat']]);
    expectClose(r.corpus.slice(0, 2), [0.5, Math.sqrt(1 / 6)], 2e-9);
  });

  it('splits on any whitespace run (runs of spaces do not matter)', () => {
    expect(bleu(['a   b\tc'], [['a b  c d']])).toEqual(bleu(['a b c'], [['a b c d']]));
  });

  it('sums statistics over the corpus before the geometric mean', () => {
    // Item 1: "a b c d" vs itself: correct = guess = [4,3,2,1]. Item 2: "x" vs "y z": correct [0,0,0,0],
    // guess [1,0,0,0], r = 2 (closest to 1 among {2}). Corpus: correct [4,3,2,1], guess [5,3,2,1],
    // C = 5, R = 6 → BP = exp(1 − 6/5) (epsilons included below).
    const r = bleu(['a b c d', 'x'], [['a b c d'], ['y z']]);
    const p = [(4 + TINY) / (5 + SMALL), (3 + TINY) / (3 + SMALL), (2 + TINY) / (2 + SMALL), (1 + TINY) / (1 + SMALL)];
    const bp = Math.exp(1 - 1 / ((5 + TINY) / (6 + SMALL)));
    let prod = 1;
    const expected = p.map((pk, k) => (prod *= pk) ** (1 / (k + 1)) * bp);
    expectClose(r.corpus, expected);
    expect(r.corpus[0]).toBeCloseTo(0.8 * Math.exp(-0.2), 9);
  });

  it('is identity-exact: hypothesis = reference (≥ 4 tokens) gives corpus BLEU-n = 1 within 1e-8', () => {
    const texts = ['the heart is normal in size', 'no pleural effusion or pneumothorax .', 'lungs are clear bilaterally'];
    const r = bleu(texts, texts.map((t) => [t]));
    r.corpus.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(1e-8));
  });
});
