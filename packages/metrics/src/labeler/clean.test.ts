import { describe, expect, it } from 'vitest';
import { cleanForLabeler, sentenceSpans, splitSentences } from './clean';

describe('cleanForLabeler (CheXpert loader rules)', () => {
  it('lower-cases, rewrites and/or and letter/letter, collapses .. once, spaces after . and ,', () => {
    expect(cleanForLabeler('Atelectasis and/or Pneumonia')).toBe('atelectasis or pneumonia');
    expect(cleanForLabeler('effusion/edema, 1/2')).toBe('effusion or edema, 1/2');
    expect(cleanForLabeler('Clear...  Next')).toBe('clear. . next');
    expect(cleanForLabeler('a,b.c')).toBe('a, b. c');
    expect(cleanForLabeler('  x \n\t y\u001c z  ')).toBe('x y z');
    expect(cleanForLabeler('4.5 cm')).toBe('4. 5 cm');
  });
});

describe('splitSentences', () => {
  it('splits at a space after . ? ! and keeps the punctuation', () => {
    expect(splitSentences('1. stable. no effusion? yes! end')).toEqual(['1.', 'stable.', 'no effusion?', 'yes!', 'end']);
    expect(splitSentences('')).toEqual([]);
    expect(sentenceSpans('a. bc')).toEqual([0, 2, 3, 5]);
  });
});
