import { MetricsInputError, MetricsOptionError, describeValue } from '../errors.js';
import { METEOR_APPROX_LABEL, createMeteorScorer } from '../meteor/meteor.js';
import type { MeteorScorer } from '../meteor/meteor.js';
import { bleu } from './bleu.js';
import type { Bleu4 } from './bleu.js';
import { ciderD } from './cider.js';
import { rougeL } from './rouge.js';
import { validatePairs } from './validate.js';

/** Scores of one item from {@link nlgScores}. */
export interface NlgItemScores {
  bleu: Bleu4;
  /** Approximate METEOR ({@link METEOR_APPROX_LABEL}). */
  meteor: number;
  rougeL: number;
  cider: number;
}

/** Result of {@link nlgScores}. */
export interface NlgScores {
  /** Corpus BLEU-1 … BLEU-4. */
  bleu: Bleu4;
  /** Corpus approximate METEOR (aggregate of summed statistics); see `meteorLabel`. */
  meteor: number;
  /** Mean ROUGE-L. */
  rougeL: number;
  /** Mean CIDEr-D (idf from this set's references). */
  cider: number;
  /** The label to print next to `meteor`. */
  meteorLabel: typeof METEOR_APPROX_LABEL;
  /** Per-item scores, in input order. */
  perItem: NlgItemScores[];
}

/** Options of {@link nlgScores}. */
export interface NlgScoresOptions {
  /** A METEOR scorer to reuse (keeps WordNet loaded across calls). */
  meteorScorer?: MeteorScorer;
}

/**
 * BLEU-1..4, ROUGE-L and CIDEr-D exactly as pycocoevalcap computes them, plus the approximate
 * METEOR, for `hyps[k]` against the references `refs[k]`. Pass text already prepared by the
 * pipeline being reproduced (see `cleanReport`, `WordTokenizer`, `myPreCaption`).
 */
export function nlgScores(hyps: readonly string[], refs: readonly (readonly string[])[], options: NlgScoresOptions = {}): NlgScores {
  validatePairs(hyps, refs);
  const b = bleu(hyps, refs);
  const r = rougeL(hyps, refs);
  const c = ciderD(hyps, refs);
  const m = (options.meteorScorer ?? createMeteorScorer()).score(hyps, refs);
  return {
    bleu: b.corpus,
    meteor: m.corpus,
    rougeL: r.corpus,
    cider: c.corpus,
    meteorLabel: METEOR_APPROX_LABEL,
    perItem: hyps.map((_, k) => ({ bleu: b.perItem[k] as Bleu4, meteor: m.perItem[k] as number, rougeL: r.perItem[k] as number, cider: c.perItem[k] as number })),
  };
}

/** Metric names accepted by {@link computeNlgScores}. */
export type NlgMetricName = 'BLEU' | 'ROUGE_L' | 'CIDEr' | 'METEOR_approx';

/** pycocoevalcap-style result: keys `Bleu_1`…`Bleu_4`, `ROUGE_L`, `CIDEr`, `METEOR_approx`. */
export interface CocoStyleScores {
  corpus: Record<string, number>;
  perItem: Record<string, number[]>;
}

const ALL_METRICS: readonly NlgMetricName[] = ['BLEU', 'METEOR_approx', 'ROUGE_L', 'CIDEr'];

/**
 * The pycocoevalcap calling convention: `gts: id → references`, `res: id → [hypothesis]` with
 * identical key sets and exactly one hypothesis per id; items in `gts` key order.
 */
export function computeNlgScores(
  gts: Readonly<Record<string, readonly string[]>>,
  res: Readonly<Record<string, readonly string[]>>,
  opts: { metrics?: readonly NlgMetricName[]; meteorScorer?: MeteorScorer } = {},
): CocoStyleScores {
  if (typeof gts !== 'object' || gts === null) throw new MetricsInputError('gts', 'an object mapping ids to reference lists', describeValue(gts));
  if (typeof res !== 'object' || res === null) throw new MetricsInputError('res', 'an object mapping ids to [hypothesis]', describeValue(res));
  const ids = Object.keys(gts);
  const resIds = Object.keys(res);
  const missing = ids.filter((id) => !Object.hasOwn(res, id));
  const extra = resIds.filter((id) => !Object.hasOwn(gts, id));
  if (missing.length > 0 || extra.length > 0) {
    throw new MetricsInputError('res', 'keyed by exactly the ids of `gts`', `${missing.length} id(s) missing (e.g. ${JSON.stringify(missing[0] ?? null)}) and ${extra.length} extra (e.g. ${JSON.stringify(extra[0] ?? null)})`);
  }
  const hyps = ids.map((id) => {
    const h: unknown = res[id];
    if (!Array.isArray(h) || h.length !== 1) throw new MetricsInputError(`res[${JSON.stringify(id)}]`, 'an array holding exactly one hypothesis', describeValue(h));
    return h[0] as string;
  });
  const refs = ids.map((id) => gts[id] as readonly string[]);
  const metrics = opts.metrics ?? ALL_METRICS;
  for (const m of metrics) if (!ALL_METRICS.includes(m)) throw new MetricsOptionError('metrics', `a list of ${ALL_METRICS.map((x) => `'${x}'`).join(', ')}`, m);
  const corpus: Record<string, number> = {};
  const perItem: Record<string, number[]> = {};
  for (const m of metrics) {
    if (m === 'BLEU') {
      const b = bleu(hyps, refs);
      for (let k = 0; k < 4; k++) {
        corpus[`Bleu_${k + 1}`] = b.corpus[k] as number;
        perItem[`Bleu_${k + 1}`] = b.perItem.map((x) => x[k] as number);
      }
    } else {
      const r = m === 'ROUGE_L' ? rougeL(hyps, refs) : m === 'CIDEr' ? ciderD(hyps, refs) : (opts.meteorScorer ?? createMeteorScorer()).score(hyps, refs);
      corpus[m] = r.corpus;
      perItem[m] = r.perItem;
    }
  }
  return { corpus, perItem };
}
