import { MetricsInputError, MetricsOptionError, describeValue } from '../errors.js';
import { cleanReportIuXray, cleanReportMimicCxr } from './clean-report.js';
import type { ReportDataset } from './clean-report.js';
import { pySplit } from './python-str.js';

/** The out-of-vocabulary token R2Gen appends to every vocabulary. */
export const UNK_TOKEN = '<unk>';

/** Id shared by BOS, EOS and PAD in R2Gen; real tokens are numbered 1 … V. */
export const SPECIAL_ID = 0;

/** Options of {@link buildVocabulary}. */
export interface VocabularyOptions {
  /** Training-split reports (raw text; the cleaner is applied here). */
  reports: readonly string[];
  /** Keep tokens seen at least this many times (R2Gen: IU X-Ray 3, MIMIC-CXR 10). */
  threshold: number;
  /** Which R2Gen cleaner to apply, or a custom cleaner. Default `'iu_xray'`. */
  cleaner?: ReportDataset | ((report: string) => string);
}

// Python sorts str by code point; JavaScript's default sort compares UTF-16 units, which
// disagrees only above the BMP. Comparing code points keeps the two identical everywhere.
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

function resolveCleaner(cleaner: VocabularyOptions['cleaner']): (report: string) => string {
  if (cleaner === undefined || cleaner === 'iu_xray') return cleanReportIuXray;
  if (cleaner === 'mimic_cxr') return cleanReportMimicCxr;
  if (typeof cleaner === 'function') return cleaner;
  throw new MetricsOptionError('cleaner', "'iu_xray', 'mimic_cxr' or a function", cleaner);
}

/**
 * R2Gen's word tokenizer (`modules/tokenizers.py`): a frequency-thresholded vocabulary built from
 * the training split, ids 1 … V in code-point order (with `<unk>` among them), and id 0 for BOS,
 * EOS and PAD.
 */
export class WordTokenizer {
  /** Tokens in id order: `tokens[id - 1]`. */
  readonly tokens: readonly string[];
  /** The cleaner applied by {@link WordTokenizer.encode}. */
  readonly clean: (report: string) => string;
  private readonly ids: ReadonlyMap<string, number>;
  private readonly unkId: number;

  private constructor(tokens: string[], clean: (report: string) => string) {
    this.tokens = tokens;
    this.clean = clean;
    this.ids = new Map(tokens.map((t, i) => [t, i + 1]));
    this.unkId = this.ids.get(UNK_TOKEN) ?? 0;
  }

  /** Builds the vocabulary as R2Gen's `create_vocabulary` does; see {@link buildVocabulary}. */
  static fromTrainSplit(reports: readonly string[], threshold: number, cleaner?: VocabularyOptions['cleaner']): WordTokenizer {
    if (!Array.isArray(reports)) throw new MetricsInputError('reports', 'an array of strings', describeValue(reports));
    if (!Number.isInteger(threshold) || threshold < 1) throw new MetricsOptionError('threshold', 'a positive integer', threshold);
    const clean = resolveCleaner(cleaner);
    const counts = new Map<string, number>();
    reports.forEach((report, i) => {
      if (typeof report !== 'string') throw new MetricsInputError('reports', 'a string', describeValue(report), i);
      for (const token of pySplit(clean(report))) counts.set(token, (counts.get(token) ?? 0) + 1);
    });
    const kept = [...counts].filter(([, c]) => c >= threshold).map(([t]) => t);
    kept.push(UNK_TOKEN);
    kept.sort(compareCodePoints);
    return new WordTokenizer(kept, clean);
  }

  /** Rebuilds a tokenizer from a saved token list (`tokens[id - 1]`), e.g. a checkpoint's. */
  static fromTokens(tokens: readonly string[], cleaner?: VocabularyOptions['cleaner']): WordTokenizer {
    tokens.forEach((t, i) => {
      if (typeof t !== 'string' || t === '') throw new MetricsInputError('tokens', 'a non-empty string', describeValue(t), i);
    });
    if (new Set(tokens).size !== tokens.length) throw new MetricsInputError('tokens', 'free of duplicates', `${tokens.length - new Set(tokens).size} duplicate(s)`);
    return new WordTokenizer([...tokens], resolveCleaner(cleaner));
  }

  /** Number of real tokens V (including `<unk>`); the output layer has V + 1 classes. */
  get size(): number {
    return this.tokens.length;
  }

  /** Id of `token`, or the `<unk>` id when it is not in the vocabulary. */
  tokenToId(token: string): number {
    return this.ids.get(token) ?? this.unkId;
  }

  /** Token of `id` (1 … V); throws for 0 and out-of-range ids. */
  idToToken(id: number): string {
    const t = Number.isInteger(id) && id >= 1 ? this.tokens[id - 1] : undefined;
    if (t === undefined) throw new MetricsInputError('id', `an integer in 1 … ${this.tokens.length}`, describeValue(id));
    return t;
  }

  /**
   * R2Gen's encoding: clean, split on whitespace, map to ids (unknown → `<unk>`), wrap as
   * `[0, …ids, 0]`, then keep the first `maxSeqLength` ids (IU X-Ray 60, MIMIC-CXR 100). The
   * truncation keeps the leading 0, so the trailing 0 is lost when it happens.
   */
  encode(report: string, maxSeqLength?: number): number[] {
    if (typeof report !== 'string') throw new MetricsInputError('report', 'a string', describeValue(report));
    const ids = [SPECIAL_ID, ...pySplit(this.clean(report)).map((t) => this.tokenToId(t)), SPECIAL_ID];
    if (maxSeqLength === undefined) return ids;
    if (!Number.isInteger(maxSeqLength) || maxSeqLength < 1) throw new MetricsOptionError('maxSeqLength', 'a positive integer', maxSeqLength);
    return ids.slice(0, maxSeqLength);
  }

  /**
   * R2Gen's decoding: walk `ids`, stop at the first 0, join tokens with single spaces. Pass
   * `ids.slice(1)` for an encoded reference (its leading 0 would otherwise stop at once).
   */
  decode(ids: readonly number[]): string {
    const out: string[] = [];
    for (const id of ids) {
      if (id <= 0) break;
      out.push(this.idToToken(id));
    }
    return out.join(' ');
  }

  /** The reference text R2Gen scores: `decode(encode(report, maxSeqLength).slice(1))`. */
  referenceText(report: string, maxSeqLength: number): string {
    return this.decode(this.encode(report, maxSeqLength).slice(1));
  }
}

/**
 * Builds R2Gen's vocabulary from training reports: count the tokens of `clean(report).split()`,
 * keep those with count ≥ `threshold`, append `<unk>`, sort by code point, number 1 … V.
 * On the R2Gen IU X-Ray train split at threshold 3 this gives 760 tokens including `<unk>`.
 */
export function buildVocabulary(options: VocabularyOptions): WordTokenizer {
  if (typeof options !== 'object' || options === null) throw new MetricsOptionError('options', 'an object', options);
  return WordTokenizer.fromTrainSplit(options.reports, options.threshold, options.cleaner);
}
