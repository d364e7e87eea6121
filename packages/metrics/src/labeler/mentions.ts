import type { ObservationKey } from './observations';
import type { PhraseTable } from './phrase-lists';

/** One surviving phrase occurrence in a sentence: character span [start, end). */
export interface Mention {
  readonly key: ObservationKey;
  readonly phrase: string;
  readonly start: number;
  readonly end: number;
}

/** Non-overlapping occurrences of a literal, left to right, resuming after each match (re.finditer). */
function occurrences(text: string, phrase: string, out: number[]): void {
  let from = 0;
  for (;;) {
    const s = text.indexOf(phrase, from);
    if (s < 0) return;
    out.push(s, s + phrase.length);
    from = s + phrase.length;
  }
}

/**
 * Mention extraction of the CheXpert labeler (spec §3.3), exact: every non-overlapping occurrence
 * of every mention phrase (literal search, no word boundaries: `atelecta` matches inside
 * `atelectasis`), minus those overlapping an occurrence of an unmention phrase of the same
 * observation in the same sentence.
 */
export function extractMentions(tables: readonly PhraseTable[], sentence: string): Mention[] {
  const mentions: Mention[] = [];
  const spans: number[] = [];
  const vetoes: number[] = [];
  for (const table of tables) {
    spans.length = 0;
    const phraseOf: string[] = [];
    for (const phrase of table.mentions) {
      const before = spans.length;
      occurrences(sentence, phrase, spans);
      for (let k = before; k < spans.length; k += 2) phraseOf.push(phrase);
    }
    if (spans.length === 0) continue;
    // Unmentions are searched only when the observation is mentioned: most sentences skip the
    // 84 positional phrases of Cardiomegaly and Enlarged Cardiomediastinum entirely.
    vetoes.length = 0;
    for (const phrase of table.unmentions) occurrences(sentence, phrase, vetoes);
    for (let k = 0; k < spans.length; k += 2) {
      const s = spans[k]!;
      const e = spans[k + 1]!;
      let vetoed = false;
      for (let u = 0; u < vetoes.length; u += 2) {
        if (s < vetoes[u + 1]! && e > vetoes[u]!) {
          vetoed = true;
          break;
        }
      }
      if (!vetoed) mentions.push({ key: table.key, phrase: phraseOf[k / 2]!, start: s, end: e });
    }
  }
  return mentions;
}
