import { pySplit } from '../text/python-str.js';
import { NgramIndex, expectedNgrams } from './ngrams.js';
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

/** Per-call scratch for clipping: the maximum reference count of each n-gram id for the current item. */
interface ClipScratch {
  index: NgramIndex;
  maxRef: Int32Array;
  stamp: Int32Array;
  item: number;
}

function ensure(scratch: ClipScratch): void {
  const size = scratch.index.size;
  if (scratch.maxRef.length >= size) return;
  const grow = (a: Int32Array, fill: number): Int32Array => {
    const b = new Int32Array(size * 2).fill(fill);
    b.set(a);
    return b;
  };
  scratch.maxRef = grow(scratch.maxRef, 0);
  scratch.stamp = grow(scratch.stamp, -1);
}

function cook(scratch: ClipScratch, hyp: string, refs: readonly string[]): ItemCounts {
  const { index } = scratch;
  const item = scratch.item++;
  let reflen = -1;
  let testlen = -1;
  const words = pySplit(hyp);
  testlen = words.length;
  for (const ref of refs) {
    const refWords = pySplit(ref);
    const l = refWords.length;
    // 'closest': minimise (|l − c|, l), so ties go to the shorter reference.
    if (reflen === -1) reflen = l;
    else {
      const d = Math.abs(l - testlen);
      const best = Math.abs(reflen - testlen);
      if (d < best || (d === best && l < reflen)) reflen = l;
    }
    const n = index.countInto(refWords, N);
    ensure(scratch);
    const { outIds, outCounts } = index;
    const { stamp, maxRef } = scratch;
    for (let k = 0; k < n; k++) {
      const g = outIds[k] as number;
      const c = outCounts[k] as number;
      if (stamp[g] !== item) {
        stamp[g] = item;
        maxRef[g] = c;
      } else if (c > (maxRef[g] as number)) {
        maxRef[g] = c;
      }
    }
  }
  const guess = [Math.max(0, testlen), Math.max(0, testlen - 1), Math.max(0, testlen - 2), Math.max(0, testlen - 3)];
  const correct = [0, 0, 0, 0];
  const n = index.countInto(words, N);
  ensure(scratch);
  const { outIds, outCounts } = index;
  const { stamp, maxRef } = scratch;
  for (let j = 0; j < n; j++) {
    const g = outIds[j] as number;
    const k = index.order(g) - 1;
    const ref = stamp[g] === item ? (maxRef[g] as number) : 0;
    correct[k] = (correct[k] as number) + Math.min(ref, outCounts[j] as number);
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
  const index = new NgramIndex(expectedNgrams([...hyps, ...refs], N));
  const scratch: ClipScratch = { index, maxRef: new Int32Array(0), stamp: new Int32Array(0), item: 0 };
  hyps.forEach((hyp, i) => {
    const c = cook(scratch, hyp, refs[i] as readonly string[]);
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
