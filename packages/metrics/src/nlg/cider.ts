import { pySplit } from '../text/python-str.js';
import { countNgrams, ngramOrder } from './ngrams.js';
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

interface Vec {
  weights: Map<string, number>[];
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
 * items changes the per-item scores of the others.
 */
export function ciderD(hyps: readonly string[], refs: readonly (readonly string[])[], options: CiderDOptions = {}): MetricResult {
  validatePairs(hyps, refs);
  const n = options.n ?? CIDER_D_DEFAULTS.n;
  const sigma = options.sigma ?? CIDER_D_DEFAULTS.sigma;
  const testCounts = hyps.map((h) => countNgrams(pySplit(h), n));
  const refCounts = refs.map((rs) => rs.map((r) => countNgrams(pySplit(r), n)));

  const df = new Map<string, number>();
  for (const rs of refCounts) {
    const seen = new Set<string>();
    for (const counts of rs) for (const g of counts.keys()) seen.add(g);
    for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const refLen = Math.log(refCounts.length);

  const toVec = (counts: Map<string, number>): Vec => {
    const weights = Array.from({ length: n }, () => new Map<string, number>());
    const sq = new Array<number>(n).fill(0);
    let length = 0;
    for (const [g, tf] of counts) {
      const k = ngramOrder(g) - 1;
      const w = tf * (refLen - Math.log(Math.max(1, df.get(g) ?? 0)));
      (weights[k] as Map<string, number>).set(g, w);
      sq[k] = (sq[k] as number) + w * w;
      // The reference implementation increments its length counter for order index 1 only,
      // so "length" is the number of bigrams, not of words.
      if (k === 1) length += tf;
    }
    return { weights, norms: sq.map(Math.sqrt), length };
  };

  const twoSigma2 = 2 * sigma ** 2;
  const sim = (h: Vec, r: Vec): number[] => {
    const delta = h.length - r.length;
    const penalty = Math.E ** (-(delta ** 2) / twoSigma2);
    const val = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) {
      const rw = r.weights[k] as Map<string, number>;
      let v = 0;
      for (const [g, w] of h.weights[k] as Map<string, number>) {
        const wr = rw.get(g) ?? 0;
        v += Math.min(w, wr) * wr;
      }
      const nh = h.norms[k] as number;
      const nr = r.norms[k] as number;
      if (nh !== 0 && nr !== 0) v /= nh * nr;
      val[k] = v * penalty;
    }
    return val;
  };

  const perItem = testCounts.map((tc, i) => {
    const h = toVec(tc);
    const rs = refCounts[i] as Map<string, number>[];
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
