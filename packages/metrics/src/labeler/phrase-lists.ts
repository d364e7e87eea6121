import { MetricsDataError } from '../errors';
import { MENTION_FILES, UNMENTION_FILES } from './chexpert-data.generated';
import { OBSERVATIONS, OBSERVATION_KEYS } from './observations';
import type { ObservationKey } from './observations';

/** Mention and unmention phrases of one observation (the pseudo-observation No Finding included). */
export interface PhraseTable {
  readonly key: ObservationKey;
  /** Mention phrases in file order. */
  readonly mentions: readonly string[];
  /** Phrases that veto any overlapping mention of the same observation in the same sentence. */
  readonly unmentions: readonly string[];
}

/**
 * Parses one CheXpert phrase file with the original loader's rules (spec §3.1): one phrase a line,
 * surrounding whitespace stripped, then every `_` → space (`_line_` means " line "). A final
 * newline is optional. An empty phrase would match at every position, so it is rejected.
 *
 * @param text the file's content
 * @param source file name used in the error message
 * @throws MetricsDataError on an empty or whitespace-only line
 */
export function parsePhraseList(text: string, source: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  // Python's line iteration yields no extra empty line after a trailing newline.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => {
    const phrase = line.trim().split('_').join(' ');
    if (phrase.length === 0) {
      throw new MetricsDataError(`${source}:${i + 1}`, 'a non-empty phrase', 'an empty line');
    }
    return phrase;
  });
}

/**
 * Observation name of a phrase-file stem, by the original's rule: `_` → space, title case
 * (`pleural_effusion` → `Pleural Effusion`).
 */
export function observationNameOfStem(stem: string): string {
  return stem
    .split('_')
    .map((w) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

const POSITION_PREFIXES = ['over the', 'overly the', 'in the'].flatMap((a) =>
  ['', ' superior', ' left', ' right'].map((b) => a + b),
);

/**
 * The original's generated unmentions for Cardiomegaly: every positional prefix before every
 * mention except `cardiomegaly` and `cardiac enlargement`, with `the ` removed from the mention
 * ("over the heart" vetoes "the heart" in "pacemaker leads over the heart").
 */
export function cardiomegalyUnmentions(mentions: readonly string[]): string[] {
  const kept = mentions.filter((m) => m !== 'cardiomegaly' && m !== 'cardiac enlargement');
  return POSITION_PREFIXES.flatMap((p) => kept.map((m) => `${p} ${m.split('the ').join('')}`));
}

/**
 * The original's generated unmentions for Enlarged Cardiomediastinum: every positional prefix
 * before every mention, unchanged. The mention ` mediastinum` yields a double space that can
 * never match cleaned text; that is reproduced on purpose.
 */
export function cardiomediastinumUnmentions(mentions: readonly string[]): string[] {
  return POSITION_PREFIXES.flatMap((p) => mentions.map((m) => `${p} ${m}`));
}

/**
 * Builds the phrase tables of all 14 observations from the shipped CheXpert files
 * (`data/chexpert/phrases`, embedded at build time), in {@link OBSERVATIONS} order.
 */
export function loadPhraseTables(): PhraseTable[] {
  return OBSERVATION_KEYS.map((key, i) => {
    const source = MENTION_FILES[key];
    if (source === undefined || observationNameOfStem(key) !== OBSERVATIONS[i]) {
      throw new MetricsDataError(`phrases/mention/${key}.txt`, 'a shipped phrase file', 'none');
    }
    const mentions = parsePhraseList(source, `phrases/mention/${key}.txt`);
    let unmentions: string[];
    if (key === 'cardiomegaly') unmentions = cardiomegalyUnmentions(mentions);
    else if (key === 'enlarged_cardiomediastinum') unmentions = cardiomediastinumUnmentions(mentions);
    else {
      const file = UNMENTION_FILES[key];
      unmentions = file === undefined ? [] : parsePhraseList(file, `phrases/unmention/${key}.txt`);
    }
    return { key, mentions, unmentions };
  });
}
