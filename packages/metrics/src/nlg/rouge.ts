import { numpyMean } from './numpy-mean.js';
import { validatePairs } from './validate.js';

/** Result of a metric with one value per item and a corpus value. */
export interface MetricResult {
  /** Corpus-level value (what papers report). */
  corpus: number;
  /** One value per item, in input order. */
  perItem: number[];
}

/** ROUGE-L's recall weight; pycocoevalcap's `Rouge` fixes β = 1.2. */
export const ROUGE_L_BETA = 1.2;

/** Length of the longest common subsequence of two token-id sequences (two-row DP). */
function lcsLength(a: Int32Array, b: Int32Array): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  let prev = new Int32Array(short.length + 1);
  let cur = new Int32Array(short.length + 1);
  for (let i = 1; i <= long.length; i++) {
    const x = long[i - 1];
    for (let j = 1; j <= short.length; j++) {
      cur[j] = x === short[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, cur[j - 1] as number);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[short.length] as number;
}

/**
 * ROUGE-L F-score of one item as pycocoevalcap's `Rouge.calc_score`: tokens from a *single-space*
 * split (`"a  b"` → `["a", "", "b"]`, a trailing space gives a trailing `""`), LCS against each
 * reference, P and R maximised independently over references, then
 * F = (1 + β²)·P·R / (R + β²·P), or 0 when P or R is 0.
 */
export function rougeLItem(hyp: string, refs: readonly string[]): number {
  const vocab = new Map<string, number>();
  const toIds = (s: string): Int32Array => {
    const parts = s.split(' ');
    const ids = new Int32Array(parts.length);
    parts.forEach((p, i) => {
      let id = vocab.get(p);
      if (id === undefined) vocab.set(p, (id = vocab.size));
      ids[i] = id;
    });
    return ids;
  };
  const h = toIds(hyp);
  let precMax = -Infinity;
  let recMax = -Infinity;
  for (const ref of refs) {
    const r = toIds(ref);
    const lcs = lcsLength(r, h);
    precMax = Math.max(precMax, lcs / h.length);
    recMax = Math.max(recMax, lcs / r.length);
  }
  if (precMax === 0 || recMax === 0) return 0;
  // Python evaluates `self.beta**2` as pow(1.2, 2), the correctly rounded square, as `*` is.
  const beta2 = ROUGE_L_BETA * ROUGE_L_BETA;
  return ((1 + beta2) * precMax * recMax) / (recMax + beta2 * precMax);
}

/**
 * ROUGE-L as pycocoevalcap's `Rouge` (β = 1.2, single-space tokens, max P and max R over
 * references); the corpus value is the mean of the per-item F-scores (numpy's summation).
 */
export function rougeL(hyps: readonly string[], refs: readonly (readonly string[])[]): MetricResult {
  validatePairs(hyps, refs);
  const perItem = hyps.map((h, i) => rougeLItem(h, refs[i] as readonly string[]));
  return { corpus: numpyMean(perItem), perItem };
}
