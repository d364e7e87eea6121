/** Module slot of exact matches (Meteor runs the modules in slot order). */
export const MODULE_EXACT = 0;
/** Module slot of stem matches: different words with the same Porter2 stem. */
export const MODULE_STEM = 1;
/** Module slot of synonym matches: different words sharing a WordNet synset. */
export const MODULE_SYNONYM = 2;
/** Number of module slots in Meteor's statistics (exact, stem, synonym, paraphrase). */
export const MODULE_SLOTS = 4;

/** One word-to-word match: test word `i` ↔ reference word `j`, found by `module`. */
export interface WordMatch {
  module: number;
  /** Index in the reference ("line 2"). */
  j: number;
  /** Index in the test ("line 1"). */
  i: number;
}

/** Resources the aligner needs besides the words; an `undefined` module is not run. */
export interface AlignerModules {
  /** Stemmer of the stem module. */
  stem: ((word: string) => string) | undefined;
  /** Synset ids of a word; two different words match when their lists intersect. */
  synsets: ((word: string) => readonly number[]) | undefined;
  /** Width of the alignment beam (Meteor: 40). */
  beamSize: number;
}

interface Path {
  score: number;
  chunks: number;
  distance: number;
  lastMatchEnd: number;
  /** Test words in use; built lazily from the parent's when the path survives the beam. */
  used1: number[] | undefined;
  parent: Path | undefined;
  chain: Chain | undefined;
}
interface Chain {
  match: WordMatch;
  prev: Chain | undefined;
}

// The search ranks partial alignments with weights 1 for exact and 0.5 for every other module,
// accumulated into a Java *int*: `matches1 += 1 * 0.5` truncates, so in Meteor 1.5 only exact
// matches raise the first criterion. Reproduced on purpose; the scoring weights are separate.
const SEARCH_WEIGHT = [1, 0.5, 0.5, 0.5] as const;

function addWeighted(score: number, module: number): number {
  // Two sides (test and reference) each add trunc(old + w); emulate both int fields at once.
  const w = SEARCH_WEIGHT[module] ?? 0.5;
  return Math.trunc(score / 2 + w) * 2;
}

function compare(x: Path, y: Path): number {
  if (y.score !== x.score) return y.score > x.score ? 1 : -1;
  if (x.chunks !== y.chunks) return x.chunks - y.chunks;
  return x.distance - y.distance;
}

function candidateMatches(words1: readonly string[], words2: readonly string[], mods: AlignerModules): { byJ: WordMatch[][]; cov1: Int32Array; cov2: Int32Array } {
  const byJ: WordMatch[][] = words2.map(() => []);
  const cov1 = new Int32Array(words1.length);
  const cov2 = new Int32Array(words2.length);
  const add = (module: number, i: number, j: number): void => {
    (byJ[j] as WordMatch[]).push({ module, i, j });
    cov1[i] = (cov1[i] as number) + 1;
    cov2[j] = (cov2[j] as number) + 1;
  };
  const identical = words1.length === words2.length && words1.every((w, k) => w === words2[k]);
  for (let j = 0; j < words2.length; j++) for (let i = 0; i < words1.length; i++) if (words1[i] === words2[j]) add(MODULE_EXACT, i, j);
  // Meteor skips the other modules for identical sentences, to protect the beam search.
  if (identical) return { byJ, cov1, cov2 };
  const { stem, synsets } = mods;
  if (stem !== undefined) {
    const s1 = words1.map(stem);
    const s2 = words2.map(stem);
    for (let j = 0; j < words2.length; j++) {
      for (let i = 0; i < words1.length; i++) if (s1[i] === s2[j] && words1[i] !== words2[j]) add(MODULE_STEM, i, j);
    }
  }
  if (synsets !== undefined) {
    // Index reference positions by synset, then mark every (i, j) sharing one: linear in the
    // number of synsets instead of |test| × |reference| set intersections.
    const byOffset = new Map<number, number[]>();
    words2.forEach((w, j) => {
      for (const o of synsets(w)) {
        const list = byOffset.get(o);
        if (list === undefined) byOffset.set(o, [j]);
        else if (list[list.length - 1] !== j) list.push(j);
      }
    });
    const shared = new Uint8Array(words1.length * words2.length);
    words1.forEach((w, i) => {
      for (const o of synsets(w)) for (const j of byOffset.get(o) ?? []) shared[i * words2.length + j] = 1;
    });
    for (let j = 0; j < words2.length; j++) {
      for (let i = 0; i < words1.length; i++) if (shared[i * words2.length + j] === 1 && words1[i] !== words2[j]) add(MODULE_SYNONYM, i, j);
    }
  }
  return { byJ, cov1, cov2 };
}

/**
 * Meteor 1.5's aligner for one test/reference pair (one-word matches only, as without
 * paraphrases): candidate matches from the exact, stem and synonym modules; one-to-one matches
 * that nothing else competes for are fixed first; the rest is resolved by Meteor's left-to-right
 * beam search over reference positions, ranking by (1) weighted match count, (2) fewest chunks,
 * (3) smallest summed position distance, including the original's bookkeeping quirks.
 *
 * @returns the chosen matches indexed by reference position (`undefined` = unmatched)
 */
export function alignWords(words1: readonly string[], words2: readonly string[], mods: AlignerModules): (WordMatch | undefined)[] {
  const { byJ, cov1, cov2 } = candidateMatches(words1, words2, mods);
  const fixed: (WordMatch | undefined)[] = new Array<WordMatch | undefined>(words2.length).fill(undefined);
  const start: Path = { score: 0, chunks: 0, distance: 0, lastMatchEnd: -1, used1: new Array<number>(words1.length).fill(0), parent: undefined, chain: undefined };
  byJ.forEach((list, j) => {
    const m = list[0];
    if (list.length === 1 && m !== undefined && cov2[j] === 1 && cov1[m.i] === 1) {
      fixed[j] = m;
      (start.used1 as number[])[m.i] = 1;
    }
  });

  let next: Path[] = [start];
  for (let current = 0; current <= words2.length; current++) {
    const paths = next.sort(compare);
    next = [];
    const limit = Math.min(mods.beamSize, paths.length);
    for (let rank = 0; rank < limit; rank++) {
      const path = paths[rank] as Path;
      if (path.used1 === undefined) {
        const used1 = (path.parent as Path).used1 as number[];
        path.used1 = used1.slice();
        path.used1[(path.chain as Chain).match.i] = 1;
      }
      const used1 = path.used1;
      if (current === words2.length) {
        if (path.lastMatchEnd !== -1) path.chunks++;
        next.push(path);
        continue;
      }
      const f = fixed[current];
      if (f !== undefined) {
        path.score = addWeighted(path.score, f.module);
        if (path.lastMatchEnd !== -1 && f.i !== path.lastMatchEnd) path.chunks++;
        path.lastMatchEnd = f.i + 1;
        path.distance += Math.abs(f.j - f.i);
        next.push(path);
        continue;
      }
      for (const m of byJ[current] as WordMatch[]) {
        if (used1[m.i] === 1) continue;
        const chunks = path.lastMatchEnd !== -1 && m.i !== path.lastMatchEnd ? path.chunks + 1 : path.chunks;
        next.push({ score: addWeighted(path.score, m.module), chunks, distance: path.distance, lastMatchEnd: m.i + 1, used1: undefined, parent: path, chain: { match: m, prev: path.chain } });
        // Meteor adds this distance to the *parent* path (which continues as the "skip"
        // alternative and is the template of later siblings), not to the new path.
        path.distance += Math.abs(m.j - m.i);
      }
      if (path.lastMatchEnd !== -1) {
        path.chunks++;
        path.lastMatchEnd = -1;
      }
      next.push(path);
    }
  }
  const best = next.sort(compare)[0] as Path;
  const out = [...fixed];
  for (let c = best.chain; c !== undefined; c = c.prev) out[c.match.j] = c.match;
  return out;
}
