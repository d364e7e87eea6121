import { MetricsDataError } from '../errors';
import type { CueClass, CueDirection, CueLexiconFile } from './cue-lexicon-file';
import type { SentenceTokens } from './tokens';

/** One (class, direction) reading of a cue phrase. */
export interface CueEntry {
  readonly cls: CueClass;
  readonly direction: CueDirection;
}

/** A cue found in a sentence by longest-match segmentation: tokens [start, end). */
export interface CueOccurrence {
  readonly start: number;
  readonly end: number;
  readonly phrase: string;
  /** Every (class, direction) entry of the lexicon whose phrase is exactly this token sequence. */
  readonly entries: readonly CueEntry[];
  /** `or`, `versus`, `vs`: linked with the shorter coordination windows. */
  readonly coordination: boolean;
}

/** A cue lexicon compiled for fast segmentation and linking. */
export interface CueLexicon {
  readonly version: string;
  readonly windows: CueLexiconFile['windows'];
  /** Cue phrases (as token arrays) by first token, longest first. */
  readonly byFirstToken: ReadonlyMap<string, readonly (readonly string[])[]>;
  readonly entries: ReadonlyMap<string, readonly CueEntry[]>;
  readonly coordination: ReadonlySet<string>;
  readonly terminators: ReadonlySet<string>;
  /** Terminator bigrams as "first second". */
  readonly terminatorBigrams: ReadonlySet<string>;
  readonly edemaUncertainPhrases: ReadonlySet<string>;
  readonly silhouettePrefixes: readonly string[];
}

const CLASSES: readonly CueClass[] = ['preNegation', 'negation', 'postNegation', 'stability'];
const DIRECTIONS: readonly CueDirection[] = ['forward', 'backward'];

/** Compiles a cue lexicon file (`data/cues.v1.json` shape) for {@link segmentCues}. */
export function compileCueLexicon(file: CueLexiconFile): CueLexicon {
  const entries = new Map<string, CueEntry[]>();
  for (const cls of CLASSES) {
    for (const direction of DIRECTIONS) {
      for (const phrase of file.classes[cls][direction]) {
        if (phrase.trim() === '' || phrase !== phrase.trim().split(/ +/).join(' ')) {
          throw new MetricsDataError(`cues.${cls}.${direction}`, 'single-space-separated non-empty phrases', JSON.stringify(phrase));
        }
        const list = entries.get(phrase) ?? [];
        list.push({ cls, direction });
        entries.set(phrase, list);
      }
    }
  }
  const byFirstToken = new Map<string, string[][]>();
  for (const phrase of entries.keys()) {
    const toks = phrase.split(' ');
    const list = byFirstToken.get(toks[0]!) ?? [];
    list.push(toks);
    byFirstToken.set(toks[0]!, list);
  }
  for (const list of byFirstToken.values()) list.sort((x, y) => y.length - x.length);
  return {
    version: file.version,
    windows: file.windows,
    byFirstToken,
    entries,
    coordination: new Set(file.coordinationCues),
    terminators: new Set(file.terminators),
    terminatorBigrams: new Set(file.terminatorBigrams),
    edemaUncertainPhrases: new Set(file.edemaUncertainPhrases),
    silhouettePrefixes: file.silhouettePrefixes,
  };
}

/**
 * Longest-match cue segmentation of a sentence's token cores (spec §3.5): at each position take
 * the longest lexicon phrase starting there and continue after it. Longest match is what lets
 * "no change in" (stability) win over "no" (negation), and "not excluded" over "not".
 */
export function segmentCues(lexicon: CueLexicon, cores: readonly string[]): CueOccurrence[] {
  const out: CueOccurrence[] = [];
  let i = 0;
  while (i < cores.length) {
    const candidates = lexicon.byFirstToken.get(cores[i]!);
    let matched: readonly string[] | undefined;
    if (candidates !== undefined) {
      for (const toks of candidates) {
        if (i + toks.length > cores.length) continue;
        let ok = true;
        for (let k = 1; k < toks.length; k++) {
          if (cores[i + k] !== toks[k]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          matched = toks;
          break;
        }
      }
    }
    if (matched === undefined) {
      i++;
      continue;
    }
    const phrase = matched.join(' ');
    out.push({
      start: i,
      end: i + matched.length,
      phrase,
      entries: lexicon.entries.get(phrase)!,
      coordination: lexicon.coordination.has(phrase),
    });
    i += matched.length;
  }
  return out;
}

/**
 * Whether the tokens between a cue and a mention block the link: a terminator token, a terminator
 * bigram starting in the gap, or a clause boundary after any token from the near end of the left
 * element to the token before the right element.
 *
 * @param gapStart first gap token (end of the left element)
 * @param gapEnd one past the last gap token (start of the right element)
 */
export function gapBlocked(lexicon: CueLexicon, tokens: SentenceTokens, gapStart: number, gapEnd: number): boolean {
  const { cores, boundaryAfter } = tokens;
  for (let j = gapStart; j < gapEnd; j++) {
    const core = cores[j]!;
    if (lexicon.terminators.has(core)) return true;
    const next = cores[j + 1];
    if (next !== undefined && lexicon.terminatorBigrams.has(`${core} ${next}`)) return true;
  }
  for (let j = Math.max(gapStart - 1, 0); j <= gapEnd - 1; j++) {
    if (boundaryAfter[j]) return true;
  }
  return false;
}
