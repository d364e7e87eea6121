/**
 * Report cleaning and sentence splitting of the CheXpert labeler (spec `clinical-metrics.md`
 * §2 step 1 and §3.2), reproduced step by step from `loader/load.py` of
 * `stanfordmlgroup/chexpert-labeler`.
 */

// Python's str.split() whitespace set (str.isspace), so the collapse matches `" ".join(s.split())`;
// JavaScript's \s differs (it includes U+FEFF and lacks U+001C–U+001F).
// eslint-disable-next-line no-control-regex -- Python's whitespace includes U+001C–U+001F.
const PY_WHITESPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const LETTER_SLASH_LETTER = /(?<=[a-zA-Z])\/(?=[a-zA-Z])/g;
const PERIOD_OR_COMMA = /[.,]/g;

/**
 * Cleans one report exactly as the CheXpert labeler's loader does: lower-case; `and/or` → `or`;
 * a `/` between two letters → ` or `; one pass of `..` → `.`; a space after every `.` and `,`;
 * whitespace collapsed to single spaces and stripped.
 */
export function cleanForLabeler(text: string): string {
  let t = text.toLowerCase();
  t = t.split('and/or').join('or');
  t = t.replace(LETTER_SLASH_LETTER, ' or ');
  // split/join replaces non-overlapping occurrences left to right, like Python's str.replace.
  t = t.split('..').join('.');
  t = t.replace(PERIOD_OR_COMMA, '$& ');
  t = t.replace(PY_WHITESPACE, ' ');
  // Only ASCII spaces can remain at the ends; String.prototype.trim would also drop U+FEFF.
  const from = t.startsWith(' ') ? 1 : 0;
  const to = t.endsWith(' ') && t.length > from ? t.length - 1 : t.length;
  return t.slice(from, to);
}

/**
 * Splits cleaned text into sentences at every space that follows `.`, `?` or `!` (the project's
 * approximation of NegBio's splitter, spec §3.2). Empty pieces are dropped.
 */
export function splitSentences(cleaned: string): string[] {
  const spans = sentenceSpans(cleaned);
  const out: string[] = [];
  for (let k = 0; k < spans.length; k += 2) out.push(cleaned.slice(spans[k], spans[k + 1]));
  return out;
}

/**
 * Character spans of the sentences of {@link splitSentences}, flattened as
 * [start0, end0, start1, end1, …].
 */
export function sentenceSpans(cleaned: string): number[] {
  const spans: number[] = [];
  let start = 0;
  for (let i = 1; i < cleaned.length; i++) {
    if (cleaned.charCodeAt(i) !== 32) continue;
    const prev = cleaned.charCodeAt(i - 1);
    // 46 '.', 63 '?', 33 '!'
    if (prev === 46 || prev === 63 || prev === 33) {
      if (i > start) spans.push(start, i);
      start = i + 1;
    }
  }
  if (start < cleaned.length) spans.push(start, cleaned.length);
  return spans;
}
