import { describe, expect, it } from 'vitest';
import { meteorNormalize } from './normalize.js';

describe("meteorNormalize (Meteor 1.5 '-norm', English)", () => {
  it('separates punctuation, splits sentence-final dots and lowercases', () => {
    expect(meteorNormalize('No acute disease. Heart (normal)!')).toEqual(['no', 'acute', 'disease', '.', 'heart', '(', 'normal', ')', '!']);
  });

  it('splits hyphens between word characters with Java replaceAll semantics', () => {
    expect(meteorNormalize('well-expanded t-spine')).toEqual(['well', 'expanded', 't', 'spine']);
    // Non-overlapping matches: the second hyphen's left character was consumed by the first match.
    expect(meteorNormalize('a-b-c')).toEqual(['a', 'b-c']);
  });

  it('keeps commas inside numbers and separates others; splits English contractions', () => {
    expect(meteorNormalize('4,5 cm, stable')).toEqual(['4,5', 'cm', ',', 'stable']);
    expect(meteorNormalize("heart's size isn't")).toEqual(['heart', "'s", 'size', 'isn', "'t"]);
  });

  it('keeps the dot of a word followed by a lowercase word, and of non-breaking prefixes', () => {
    expect(meteorNormalize('effusion. the heart')).toEqual(['effusion.', 'the', 'heart']);
    expect(meteorNormalize('Dr. Smith')).toEqual(['dr.', 'smith']);
    expect(meteorNormalize('U.S. Army')).toEqual(['us', 'army']);
    expect(meteorNormalize('wait... Then')).toEqual(['wait', '...', 'then']);
  });

  it('returns no tokens for blank input', () => {
    expect(meteorNormalize('   ')).toEqual([]);
  });
});
