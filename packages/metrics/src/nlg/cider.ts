import { pySplit } from '../text/python-str.js';
import { NgramIndex, expectedNgrams } from './ngrams.js';
import type { NgramCounts } from './ngrams.js';
import { numpyMean } from './numpy-mean.js';
import type { MetricResult } from './rouge.js';
import { validatePairs } from './validate.js';

/** Options of {@link ciderD}; the defaults are pycocoevalcap's `Cider()`. */
export interface CiderDOptions {
  /** Maximum n-gram order. Default 4. */
  n?: number;
  /** Standard deviation of the Gaussian length penalty. Default 6. */
  sigma?: number;
}

/** pycocoevalcap's defaults for CIDEr-D. */
export const CIDER_D_DEFAULTS: Readonly<Required<CiderDOptions>> = Object.freeze({ n: 4, sigma: 6 });

/** tf-idf vector of one sentence: n-gram ids and weights in insertion order, norms per order. */
interface Vec {
  ids: number[];
  weights: number[];
  norms: number[];
  length: number;
}

/**
 * CIDEr-D exactly as pycocoevalcap's `Cider` (which is the CIDEr-D variant): tf-idf over n-grams
 * of orders 1 … 4 with document frequencies from *this set's* references, clipped cosine
 * similarity per order, Gaussian length penalty with σ = 6 on the number of *bigrams* (the
 * implementation's length counter), mean over orders and references, × 10.
 *
 * Consequences kept on purpose: a one-item set scores 0 (every idf is ln 1 − ln 1), and adding
 * items changes the per-item scores of the others. Floating-point sums run in the reference's
 * order (n-gram insertion order, numpy's pairwise means), so values agree to the last bits.
 */
export function ciderD(hyps: readonly string[], refs: readonly (readonly string[])[], options: CiderDOptions = {}): MetricResult {
  validatePairs(hyps, refs);
  const n = options.n ?? CIDER_D_DEFAULTS.n;
  const sigma = options.sigma ?? CIDER_D_DEFAULTS.sigma;
  const index = new NgramIndex(expectedNgrams([...hyps, ...refs], n));
  const testCounts = hyps.map((h) => index.count(pySplit(h), n));
  const refCounts = refs.map((rs) => rs.map((r) => index.count(pySplit(r), n)));

  // Document frequency: items whose reference set contains the n-gram (once per item).
  const df = new Int32Array(index.size);
  const lastItem = new Int32Array(index.size).fill(-1);
  refCounts.forEach((rs, item) => {
    for (const c of rs) {
      for (const g of c.ids) {
        if (lastItem[g] !== item) {
          lastItem[g] = item;
          df[g] = (df[g] as number) + 1;
        }
      }
    }
  });
  const refLen = Math.log(refCounts.length);
  // idf per n-gram, computed once: ref_len − log(max(1, df)), as the reference computes per use.
  const idf = new Float64Array(index.size);
  for (let g = 0; g < idf.length; g++) idf[g] = refLen - Math.log(Math.max(1, df[g] as number));

  const toVec = (c: NgramCounts): Vec => {
    const weights = new Array<number>(c.ids.length);
    const sq = new Array<number>(n).fill(0);
    let length = 0;
    c.ids.forEach((g, j) => {
      const k = index.order(g) - 1;
      const tf = c.counts[j] as number;
      const w = tf * (idf[g] as number);
      weights[j] = w;
      sq[k] = (sq[k] as number) + w * w;
      // The reference implementation increments its length counter for order index 1 only,
      // so "length" is the number of bigrams, not of words.
      if (k === 1) length += tf;
    });
    return { ids: c.ids, weights, norms: sq.map(Math.sqrt), length };
  };

  // Reference weights are scattered into a dense scratch vector for O(1) lookups, then cleared.
  const scratch = new Float64Array(index.size);
  const twoSigma2 = 2 * sigma ** 2;
  const sim = (h: Vec, r: Vec): number[] => {
    r.ids.forEach((g, j) => (scratch[g] = r.weights[j] as number));
    const delta = h.length - r.length;
    const penalty = Math.E ** (-(delta ** 2) / twoSigma2);
    const val = new Array<number>(n).fill(0);
    h.ids.forEach((g, j) => {
      const k = index.order(g) - 1;
      const w = h.weights[j] as number;
      const wr = scratch[g] as number;
      val[k] = (val[k] as number) + Math.min(w, wr) * wr;
    });
    for (let k = 0; k < n; k++) {
      const nh = h.norms[k] as number;
      const nr = r.norms[k] as number;
      if (nh !== 0 && nr !== 0) val[k] = (val[k] as number) / (nh * nr);
      val[k] = (val[k] as number) * penalty;
    }
    for (const g of r.ids) scratch[g] = 0;
    return val;
  };

  const perItem = testCounts.map((tc, i) => {
    const h = toVec(tc);
    const rs = refCounts[i] as NgramCounts[];
    const acc = new Array<number>(n).fill(0);
    for (const rc of rs) {
      const s = sim(h, toVec(rc));
      for (let k = 0; k < n; k++) acc[k] = (acc[k] as number) + (s[k] as number);
    }
    let avg = numpyMean(acc);
    avg /= rs.length;
    avg *= 10;
    return avg;
  });
  return { corpus: numpyMean(perItem), perItem };
}
