import { pySplit } from '../text/python-str.js';
import { countNgrams, ngramOrder } from './ngrams.js';
import { validatePairs } from './validate.js';

/** BLEU-1 … BLEU-4. */
export type Bleu4 = [number, number, number, number];

/** Result of {@link bleu}: corpus BLEU-1..4 and the same four values per item. */
export interface BleuResult {
  /** Corpus-level BLEU-1 … BLEU-4 (what papers report). */
  corpus: Bleu4;
  /** Per-item BLEU-1 … BLEU-4, with pycocoevalcap's epsilon artefacts. */
  perItem: Bleu4[];
}

const N = 4;
// pycocoevalcap's bleu_scorer: `tiny` keeps a zero match count from giving log(0), `small`
// keeps a zero guess count from dividing by zero. They are the only smoothing there is.
const TINY = 1e-15;
const SMALL = 1e-9;

interface ItemCounts {
  testlen: number;
  reflen: number;
  guess: number[];
  correct: number[];
}

function cook(hyp: string, refs: readonly string[]): ItemCounts {
  const refLens: number[] = [];
  const maxRef = new Map<string, number>();
  for (const ref of refs) {
    const words = pySplit(ref);
    refLens.push(words.length);
    for (const [g, c] of countNgrams(words, N)) if (c > (maxRef.get(g) ?? 0)) maxRef.set(g, c);
  }
  const words = pySplit(hyp);
  const testlen = words.length;
  // 'closest': minimise (|l − c|, l), so ties go to the shorter reference.
  let reflen = refLens[0] as number;
  for (const l of refLens) {
    const d = Math.abs(l - testlen);
    const best = Math.abs(reflen - testlen);
    if (d < best || (d === best && l < reflen)) reflen = l;
  }
  const guess = Array.from({ length: N }, (_, k) => Math.max(0, testlen - k));
  const correct = new Array<number>(N).fill(0);
  for (const [g, c] of countNgrams(words, N)) {
    const k = ngramOrder(g) - 1;
    correct[k] = (correct[k] as number) + Math.min(maxRef.get(g) ?? 0, c);
  }
  return { testlen, reflen, guess, correct };
}

// Same float operation order as pycocoevalcap: running product, then its (k+1)-th root, then BP.
function score(correct: readonly number[], guess: readonly number[], testlen: number, reflen: number): Bleu4 {
  const out: number[] = [];
  let product = 1;
  for (let k = 0; k < N; k++) {
    product *= ((correct[k] as number) + TINY) / ((guess[k] as number) + SMALL);
    out.push(product ** (1 / (k + 1)));
  }
  const ratio = (testlen + TINY) / (reflen + SMALL);
  if (ratio < 1) {
    const bp = Math.exp(1 - 1 / ratio);
    for (let k = 0; k < N; k++) out[k] = (out[k] as number) * bp;
  }
  return out as Bleu4;
}

/**
 * BLEU-1 … BLEU-4 exactly as pycocoevalcap's `Bleu(4)` with option `'closest'`: whitespace
 * tokens (`str.split()`), clipped n-gram counts against the per-n-gram maximum over references,
 * the closest reference length (ties → shorter), corpus statistics summed before the geometric
 * mean, and the `1e-15` / `1e-9` epsilons (so BP is applied even when lengths are equal, and a
 * one-token exact match scores BLEU-2 = 1e-3 per item).
 *
 * @param hyps one hypothesis per item
 * @param refs one or more references per item
 */
export function bleu(hyps: readonly string[], refs: readonly (readonly string[])[]): BleuResult {
  validatePairs(hyps, refs);
  const total = { testlen: 0, reflen: 0, guess: new Array<number>(N).fill(0), correct: new Array<number>(N).fill(0) };
  const perItem: Bleu4[] = [];
  hyps.forEach((hyp, i) => {
    const c = cook(hyp, refs[i] as readonly string[]);
    total.testlen += c.testlen;
    total.reflen += c.reflen;
    for (let k = 0; k < N; k++) {
      total.guess[k] = (total.guess[k] as number) + (c.guess[k] as number);
      total.correct[k] = (total.correct[k] as number) + (c.correct[k] as number);
    }
    perItem.push(score(c.correct, c.guess, c.testlen, c.reflen));
  });
  return { corpus: score(total.correct, total.guess, total.testlen, total.reflen), perItem };
}
