import { describe, expect, it } from 'vitest';
import { MetricsDataError } from '../errors.js';
import { SynonymDictionary, sharedSynonymDictionary } from './synonyms.js';

describe('SynonymDictionary (WordNet 3.0, as Meteor reads it)', () => {
  const dict = sharedSynonymDictionary();

  it('loads every WordNet 3.0 lemma of index.sense', () => {
    expect(dict.lemmaCount).toBe(147306);
  });

  it('uses exception lists for irregular forms and morphy suffix rules otherwise', () => {
    expect(dict.areSynonyms('is', 'are')).toBe(true); // both → "be"
    expect(dict.areSynonyms('opacities', 'opacity')).toBe(true); // ies → y
    expect(dict.areSynonyms('children', 'child')).toBe(true); // noun.exc
    expect(dict.areSynonyms('seen', 'saw')).toBe(true); // verb.exc: both → "see"
    expect(dict.areSynonyms('enlarged', 'expanded')).toBe(true); // shared verb synset of enlarge/expand
    expect(dict.areSynonyms('effusion', 'gush')).toBe(true);
    expect(dict.areSynonyms('heart', 'lung')).toBe(false);
    expect(dict.areSynonyms('clear', 'clear')).toBe(false); // same word is the exact module's job
  });

  it('reports unreadable files as data errors', () => {
    expect(() => new SynonymDictionary({ indexSense: '/nonexistent/index.sense', exceptions: [] })).toThrow(MetricsDataError);
  });
});
