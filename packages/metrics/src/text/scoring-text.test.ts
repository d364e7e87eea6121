import { describe, expect, it } from 'vitest';
import { blipPreCaption, camegradHypothesisRewrite, myPreCaption } from './scoring-text.js';
import { pySplit, pyStrip } from './python-str.js';

describe('text prepared for scoring', () => {
  it('myPreCaption applies the MIMIC cleaner and truncates a single-space split', () => {
    expect(myPreCaption('Normal. . Clear.')).toBe('normal .  . clear .');
    // "normal .  . clear ." splits on ' ' into 6 elements, the empty one included.
    expect(myPreCaption('Normal. . Clear.', 3)).toBe('normal . ');
    expect(myPreCaption('FINDINGS:\nLungs clear.', 100)).toBe('findings lungs clear .');
  });

  it('camegradHypothesisRewrite separates periods, joins " - " and keeps the trailing space', () => {
    expect(camegradHypothesisRewrite('no effusion.')).toBe('no effusion . ');
    expect(camegradHypothesisRewrite('lungs are well - expanded. no effusion.')).toBe('lungs are well-expanded . no effusion . ');
    expect(camegradHypothesisRewrite('')).toBe(' ');
  });

  it("blipPreCaption lowercases, blanks BLIP's punctuation, collapses whitespace and truncates", () => {
    expect(blipPreCaption('No acute disease. Heart (normal)!  ok;~ fine: yes')).toBe('no acute disease heart normal ok fine yes');
    expect(blipPreCaption('A "B" * C # D', 3)).toBe('a b c');
    expect(blipPreCaption('well-expanded, t-spine')).toBe('well-expanded, t-spine');
  });

  it('pySplit and pyStrip follow Python str semantics', () => {
    expect(pySplit('  a \t b\n')).toEqual(['a', 'b']);
    expect(pySplit('')).toEqual([]);
    expect(pySplit('a\u0085b')).toEqual(['a', 'b']);
    expect(pySplit(' a')).toEqual(['a']);
    expect(pyStrip('\u00a0x\u3000')).toBe('x');
  });
});
