import { MetricsInputError, MetricsOptionError, describeValue } from '../errors.js';
import type { ReportDataset } from './clean-report.js';
import { blipPreCaption, camegradHypothesisRewrite, myPreCaption } from './scoring-text.js';
import type { WordTokenizer } from './vocabulary.js';

/** Which paper family's text preparation to reproduce (nlg-metrics.md §2). */
export type TextPipeline = 'r2gen' | 'promptmrg' | 'camegrad' | 'blip';

/** Options of {@link scoringText}. */
export interface ScoringTextOptions {
  pipeline: TextPipeline;
  /** `'r2gen'` only: the training-split vocabulary that encodes and decodes references. */
  tokenizer?: WordTokenizer;
  /** `'r2gen'` only: selects the default `maxSeqLength` (IU X-Ray 60, MIMIC-CXR 100). Default `'iu_xray'`. */
  dataset?: ReportDataset;
  /** `'r2gen'` only: overrides the dataset's `max_seq_length`. */
  maxSeqLength?: number;
}

/** R2Gen's `max_seq_length` per dataset. */
export const R2GEN_MAX_SEQ_LENGTH: Readonly<Record<ReportDataset, number>> = Object.freeze({ iu_xray: 60, mimic_cxr: 100 });

/**
 * Turns raw reference reports and generated hypotheses into the strings a paper family scores:
 *
 * - `'r2gen'`: references are re-decoded from ids, `decode(encode(report, maxSeqLength)[1:])`
 *   (cleaned, `<unk>` for rare words, truncated); hypotheses are taken as the model's decoded text.
 * - `'promptmrg'`: references through `my_pre_caption` (MIMIC cleaner, 100 words); hypotheses as given.
 * - `'camegrad'`: as `'promptmrg'`, and each hypothesis gets the CAME-Grad rewrite (used for BLEU,
 *   METEOR and ROUGE-L; the clinical labeler must receive the raw hypotheses).
 * - `'blip'` (DCL): references through BLIP's `pre_caption` (90 words); hypotheses as given.
 *
 * @returns `hyps` and one-reference `refs` ready for `nlgScores`
 */
export function scoringText(hyps: readonly string[], reports: readonly string[], options: ScoringTextOptions): { hyps: string[]; refs: string[][] } {
  if (!Array.isArray(hyps)) throw new MetricsInputError('hyps', 'an array of strings', describeValue(hyps));
  if (!Array.isArray(reports)) throw new MetricsInputError('reports', 'an array of strings', describeValue(reports));
  if (reports.length !== hyps.length) throw new MetricsInputError('reports', `an array of ${hyps.length} reports, one per hypothesis`, `an array of length ${reports.length}`);
  hyps.forEach((h, i) => {
    if (typeof h !== 'string') throw new MetricsInputError('hyps', 'a string', describeValue(h), i);
  });
  reports.forEach((r, i) => {
    if (typeof r !== 'string') throw new MetricsInputError('reports', 'a string', describeValue(r), i);
  });
  switch (options.pipeline) {
    case 'r2gen': {
      const { tokenizer } = options;
      if (tokenizer === undefined) throw new MetricsOptionError('tokenizer', "a WordTokenizer for the 'r2gen' pipeline", tokenizer);
      const maxLen = options.maxSeqLength ?? R2GEN_MAX_SEQ_LENGTH[options.dataset ?? 'iu_xray'];
      return { hyps: [...hyps], refs: reports.map((r) => [tokenizer.referenceText(r, maxLen)]) };
    }
    case 'promptmrg':
      return { hyps: [...hyps], refs: reports.map((r) => [myPreCaption(r)]) };
    case 'camegrad':
      return { hyps: hyps.map(camegradHypothesisRewrite), refs: reports.map((r) => [myPreCaption(r)]) };
    case 'blip':
      return { hyps: [...hyps], refs: reports.map((r) => [blipPreCaption(r)]) };
    default:
      throw new MetricsOptionError('pipeline', "one of 'r2gen', 'promptmrg', 'camegrad', 'blip'", options.pipeline);
  }
}
