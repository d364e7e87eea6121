import { describe, expect, it } from 'vitest';
import { WordTokenizer } from './word-tokenizer';

describe('WordTokenizer', () => {
  const tok = new WordTokenizer(['.', '<unk>', 'heart', 'is', 'normal']);

  it('maps words to ids 1 … V, unknown words to <unk>, with BOS = EOS = PAD = 0', () => {
    expect(tok.encode('the heart  is normal .')).toEqual([2, 3, 4, 5, 1]);
    expect([tok.bos, tok.eos, tok.pad, tok.vocabSize]).toEqual([0, 0, 0, 6]);
  });

  it('decodes up to the first 0 with single spaces (R2Gen decode)', () => {
    expect(tok.decode([3, 4, 5, 1, 0, 3])).toBe('heart is normal .');
    expect(tok.decode([0, 3])).toBe('');
  });

  it('rejects vocabularies without <unk>, with duplicates or blanks', () => {
    expect(() => new WordTokenizer(['a'])).toThrow(/`vocab` should be a list containing <unk>/);
    expect(() => new WordTokenizer(['<unk>', 'a', 'a'])).toThrow(/`vocab\[2\]` should be unique/);
    expect(() => new WordTokenizer(['<unk>', 'a b'])).toThrow(/`vocab\[1\]` should be a non-empty word/);
  });
});
