import { MetricsInputError, MetricsOptionError, describeValue } from '../errors';
import { aggregateMentions } from './aggregate';
import type { LabelledMention } from './aggregate';
import { CUES_V1 } from './chexpert-data.generated';
import { classifyMention } from './classify';
import type { DecisionRule, LinkedCue, MentionLabel } from './classify';
import { cleanForLabeler, sentenceSpans } from './clean';
import { compileCueLexicon, segmentCues } from './cue-lexicon';
import type { CueOccurrence } from './cue-lexicon';
import { extractMentions, indexSentences } from './mentions';
import { OBSERVATIONS, OBSERVATION_KEYS, observationName } from './observations';
import type { CheXpertLabel, CheXpertLabels, KeyedLabels, Label, Observation, ObservationKey } from './observations';
import { loadPhraseTables } from './phrase-lists';
import { coveredTokens, tokenize } from './tokens';
import type { SentenceTokens } from './tokens';

/**
 * Version of the labeler's rules (cue lexicon, windows, terminators). Every CE number computed
 * from these labels should be reported with it.
 */
export const LABELER_VERSION = 'chexpert-style-v1';

/** Options of {@link labelReport} and {@link labelReports}. */
export interface LabelerOptions {
  /** Rule version; only `'chexpert-style-v1'` exists. */
  readonly version?: typeof LABELER_VERSION;
}

/** How one mention was found and labelled, for auditing a report's labels. */
export interface MentionTrace {
  readonly observation: Observation;
  /** The matched phrase (for No Finding: an "other finding" that suppresses No Finding). */
  readonly phrase: string;
  /** Index of the sentence in the cleaned report. */
  readonly sentence: number;
  /** Character span [start, end) of the match in that cleaned sentence. */
  readonly span: readonly [number, number];
  readonly label: MentionLabel;
  readonly rule: DecisionRule;
  /** The cue that decided the label, if any. */
  readonly cue: LinkedCue | undefined;
}

/** Result of {@link labelReport}. */
export interface LabelerResult {
  /** Labels keyed by snake-case observation key, in the project's enum encoding. */
  readonly labels: KeyedLabels;
  /** Every mention in report order. */
  readonly mentions: readonly MentionTrace[];
  /** The cleaned sentences the spans refer to. */
  readonly sentences: readonly string[];
  readonly labelerVersion: typeof LABELER_VERSION;
}

// Built once at import: parsing ~200 short phrases and compiling the lexicon takes well under a
// millisecond, and the tables are never mutated afterwards.
const TABLES = loadPhraseTables();
const LEXICON = compileCueLexicon(CUES_V1);

function checkOptions(opts: LabelerOptions | undefined): void {
  if (opts?.version !== undefined && opts.version !== LABELER_VERSION) {
    throw new MetricsOptionError('version', `'${LABELER_VERSION}'`, opts.version);
  }
}

function labelText(text: string, trace: MentionTrace[] | undefined, sentencesOut: string[] | undefined) {
  const cleaned = cleanForLabeler(text);
  const spans = sentenceSpans(cleaned);
  if (sentencesOut) for (let k = 0; k < spans.length; k += 2) sentencesOut.push(cleaned.slice(spans[k], spans[k + 1]));
  const mentions = extractMentions(TABLES, cleaned, indexSentences(cleaned.length, spans));
  if (mentions.length === 0) return aggregateMentions([]);
  // Classify sentence by sentence (stable sort keeps table and phrase order within a sentence).
  mentions.sort((x, y) => x.sentence - y.sentence);
  const labelled: LabelledMention[] = [];
  let current = -1;
  let offset = 0;
  let tokens: SentenceTokens | undefined;
  let cues: CueOccurrence[] = [];
  for (const m of mentions) {
    if (m.sentence !== current) {
      current = m.sentence;
      offset = spans[current * 2]!;
      tokens = tokenize(cleaned.slice(offset, spans[current * 2 + 1]));
      cues = segmentCues(LEXICON, tokens.cores);
    }
    const start = m.start - offset;
    const end = m.end - offset;
    const [a, b] = coveredTokens(tokens!, start, end);
    const decision = classifyMention(LEXICON, tokens!, cues, m.phrase, a, b);
    labelled.push({ key: m.key, phrase: m.phrase, label: decision.label });
    trace?.push({
      observation: observationName(m.key),
      phrase: m.phrase,
      sentence: current,
      span: [start, end],
      label: decision.label,
      rule: decision.rule,
      cue: decision.cue,
    });
  }
  return aggregateMentions(labelled);
}

const ENUM: Record<string, Label> = { '1': 'pos', '0': 'neg', '-1': 'unc', null: 'blank' };

/**
 * Labels one report with the CheXpert-style rule-based labeler (spec `clinical-metrics.md` §3):
 * the CheXpert labeler's cleaning, phrase lists and aggregation reproduced exactly, and its
 * dependency-parse negation/uncertainty patterns approximated by surface cues with scope rules.
 *
 * @param text report text, raw or cleaned
 * @returns enum labels keyed by observation key, plus a trace of every mention
 * @throws MetricsInputError when `text` is not a string
 */
export function labelReport(text: string, opts?: LabelerOptions): LabelerResult {
  checkOptions(opts);
  if (typeof text !== 'string') throw new MetricsInputError('text', 'a string', describeValue(text));
  const mentions: MentionTrace[] = [];
  const sentences: string[] = [];
  const raw = labelText(text, mentions, sentences);
  const labels = {} as Record<ObservationKey, Label>;
  for (const key of OBSERVATION_KEYS) labels[key] = ENUM[String(raw[key])]!;
  return { labels, mentions, sentences, labelerVersion: LABELER_VERSION };
}

/**
 * Labels many reports (spec §3; see {@link labelReport}) in the CheXpert labeler's output
 * encoding: one record per report, keyed by CheXpert observation name, with 1 positive,
 * 0 negative, -1 uncertain and `null` for not mentioned. No Finding is only ever 1 or `null`.
 *
 * @param reports report texts
 * @throws MetricsInputError naming the index of a non-string entry
 */
export function labelReports(reports: readonly string[], opts?: LabelerOptions): CheXpertLabels[] {
  checkOptions(opts);
  if (!Array.isArray(reports)) throw new MetricsInputError('reports', 'an array of strings', describeValue(reports));
  return reports.map((text, i) => {
    if (typeof text !== 'string') throw new MetricsInputError('reports', 'a string', describeValue(text), i);
    const raw = labelText(text, undefined, undefined);
    const out = {} as Record<Observation, CheXpertLabel>;
    for (let k = 0; k < OBSERVATIONS.length; k++) out[OBSERVATIONS[k]!] = raw[OBSERVATION_KEYS[k]!];
    return out;
  });
}
