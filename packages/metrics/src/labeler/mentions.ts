import type { ObservationKey } from './observations';
import type { PhraseTable } from './phrase-lists';

/** One surviving phrase occurrence: character span [start, end) in the cleaned report. */
export interface Mention {
  readonly key: ObservationKey;
  readonly phrase: string;
  readonly start: number;
  readonly end: number;
  /** Index of the sentence that contains the span. */
  readonly sentence: number;
}

/**
 * Sentence layout of a cleaned report: `spans` = [start0, end0, start1, end1, …] and, per
 * character, the index of its sentence, or −(k + 1) for a separator space before sentence k.
 */
export interface SentenceIndex {
  readonly spans: readonly number[];
  readonly sentenceOf: Int32Array;
}

/** Builds the {@link SentenceIndex} of a cleaned report from its sentence spans. */
export function indexSentences(length: number, spans: readonly number[]): SentenceIndex {
  const sentenceOf = new Int32Array(length);
  let k = 0;
  for (let pos = 0; pos < length; pos++) {
    while (k * 2 < spans.length && pos >= spans[k * 2 + 1]!) k++;
    sentenceOf[pos] = k * 2 < spans.length && pos >= spans[k * 2]! ? k : -(k + 1);
  }
  return { spans, sentenceOf };
}

/**
 * Non-overlapping occurrences of a literal inside sentences, left to right, resuming after each
 * match: exactly what `re.finditer` gives sentence by sentence, found with one scan of the whole
 * report. A hit that starts on a separator space or runs past its sentence's end (possible for
 * phrases with a leading or trailing space, such as " line ") means no later hit fits in that
 * sentence either, so the scan resumes at the next sentence's start.
 */
function occurrences(text: string, phrase: string, index: SentenceIndex, out: number[]): void {
  const { spans, sentenceOf } = index;
  let from = 0;
  for (;;) {
    const s = text.indexOf(phrase, from);
    if (s < 0) return;
    const k = sentenceOf[s]!;
    if (k >= 0 && s + phrase.length <= spans[k * 2 + 1]!) {
      out.push(s, s + phrase.length);
      from = s + phrase.length;
      continue;
    }
    const next = k >= 0 ? k + 1 : -k - 1;
    if (next * 2 >= spans.length) return;
    from = spans[next * 2]!;
  }
}

/**
 * Mention extraction of the CheXpert labeler (spec §3.3), exact: in each sentence, every
 * non-overlapping occurrence of every mention phrase (literal search, no word boundaries:
 * `atelecta` matches inside `atelectasis`), minus those overlapping an occurrence of an unmention
 * phrase of the same observation in the same sentence. Mentions come in table, phrase, then
 * position order.
 */
export function extractMentions(tables: readonly PhraseTable[], text: string, index: SentenceIndex): Mention[] {
  const mentions: Mention[] = [];
  const spans: number[] = [];
  const vetoes: number[] = [];
  const phraseOf: string[] = [];
  for (const table of tables) {
    spans.length = 0;
    phraseOf.length = 0;
    for (const phrase of table.mentions) {
      const before = spans.length;
      occurrences(text, phrase, index, spans);
      for (let k = before; k < spans.length; k += 2) phraseOf.push(phrase);
    }
    if (spans.length === 0) continue;
    // Unmentions are searched only when the observation is mentioned: most reports skip the 84
    // positional phrases of Cardiomegaly and Enlarged Cardiomediastinum entirely. Two in-sentence
    // spans that overlap lie in the same sentence, so the overlap test needs no sentence check.
    vetoes.length = 0;
    for (const phrase of table.unmentions) occurrences(text, phrase, index, vetoes);
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
      if (!vetoed) mentions.push({ key: table.key, phrase: phraseOf[k / 2]!, start: s, end: e, sentence: index.sentenceOf[s]! });
    }
  }
  return mentions;
}
