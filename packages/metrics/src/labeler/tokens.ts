/**
 * Tokens of one cleaned sentence (spec `clinical-metrics.md` §3.4): maximal runs of non-space
 * characters, their *cores* (trailing `. , ; : ? !` removed) and the clause boundaries that follow
 * a token whose removed characters begin with `;` or `:`.
 */
export interface SentenceTokens {
  /** Character offset where each token starts. */
  readonly starts: readonly number[];
  /** Character offset just past each token. */
  readonly ends: readonly number[];
  /** Token cores, compared against cue phrases. */
  readonly cores: readonly string[];
  /** `boundaryAfter[j]`: a clause boundary follows token j. Commas are deliberately not boundaries. */
  readonly boundaryAfter: readonly boolean[];
}

const TRAILING = new Set(['.', ',', ';', ':', '?', '!']);

/** Splits a cleaned sentence into tokens with cores and clause boundaries. */
export function tokenize(sentence: string): SentenceTokens {
  const starts: number[] = [];
  const ends: number[] = [];
  const cores: string[] = [];
  const boundaryAfter: boolean[] = [];
  let i = 0;
  const n = sentence.length;
  while (i < n) {
    while (i < n && sentence[i] === ' ') i++;
    if (i >= n) break;
    const start = i;
    while (i < n && sentence[i] !== ' ') i++;
    let coreEnd = i;
    while (coreEnd > start && TRAILING.has(sentence[coreEnd - 1]!)) coreEnd--;
    starts.push(start);
    ends.push(i);
    cores.push(sentence.slice(start, coreEnd));
    const firstRemoved = coreEnd < i ? sentence[coreEnd] : undefined;
    boundaryAfter.push(firstRemoved === ';' || firstRemoved === ':');
  }
  return { starts, ends, cores, boundaryAfter };
}

/**
 * Token range [a, b) covered by the character span [start, end): the tokens whose character
 * ranges intersect it. A span made only of spaces covers no token and yields a = b.
 */
export function coveredTokens(tokens: SentenceTokens, start: number, end: number): [number, number] {
  let a = -1;
  let b = -1;
  for (let j = 0; j < tokens.starts.length; j++) {
    if (tokens.starts[j]! < end && tokens.ends[j]! > start) {
      if (a < 0) a = j;
      b = j + 1;
    } else if (a >= 0) break;
  }
  return a < 0 ? [0, 0] : [a, b];
}
