import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MetricsInputError, MetricsOptionError } from '../errors.js';
import { cleanReportIuXray } from './clean-report.js';
import { pySplit } from './python-str.js';
import { UNK_TOKEN, WordTokenizer, buildVocabulary } from './vocabulary.js';

// Read in place, never copied (its licence forbids it): an explicit override, the shared/ folder
// beside the repository (as CI lays it out), or the workplace's absolute path.
const CANDIDATES = [
  process.env['IU_XRAY_ANNOTATION'],
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'shared', 'data', 'iu_xray', 'annotation.json'),
  '/work/shared/data/iu_xray/annotation.json',
].filter((p): p is string => p !== undefined);
const ANNOTATION = CANDIDATES.find((p) => existsSync(p)) ?? (CANDIDATES[CANDIDATES.length - 1] as string);
interface Entry {
  report: string;
}
type Annotation = Record<'train' | 'val' | 'test', Entry[]>;

describe('WordTokenizer (R2Gen vocabulary)', () => {
  // counts: "a" ×3, "b" ×2, "." ×2, "c" ×1  (reports are IU-cleaned: "A b." → "a b .")
  const tok = buildVocabulary({ reports: ['A b.', 'A b.', 'a c'], threshold: 2 });

  it('keeps tokens at or above the threshold, adds <unk>, sorts by code point, numbers from 1', () => {
    // "." (U+002E) < "<unk>" (U+003C) < "a" < "b"
    expect(tok.tokens).toEqual(['.', UNK_TOKEN, 'a', 'b']);
    expect(tok.size).toBe(4);
    expect(tok.tokenToId('a')).toBe(3);
    expect(tok.tokenToId('zebra')).toBe(2);
  });

  it('encodes as [0, ids…, 0] with <unk>, and truncation drops the trailing 0', () => {
    expect(tok.encode('A c b.')).toEqual([0, 3, 2, 4, 1, 0]);
    expect(tok.encode('A c b.', 4)).toEqual([0, 3, 2, 4]);
  });

  it('decodes up to the first 0, joined by single spaces; references drop the leading 0', () => {
    expect(tok.decode([3, 2, 0, 4])).toBe('a <unk>');
    expect(tok.decode([0, 3])).toBe('');
    expect(tok.referenceText('Normal. . A b.', 60)).toBe('<unk> . . a b .');
    expect(tok.referenceText('A c b.', 3)).toBe('a <unk>');
  });

  it('round-trips through fromTokens', () => {
    const copy = WordTokenizer.fromTokens(tok.tokens);
    expect(copy.encode('a b c .')).toEqual(tok.encode('a b c .'));
  });

  it('rejects bad options and inputs', () => {
    expect(() => buildVocabulary({ reports: ['a'], threshold: 0 })).toThrow(MetricsOptionError);
    expect(() => buildVocabulary({ reports: ['a', 5 as unknown as string], threshold: 1 })).toThrow('`reports[1]` should be a string. Found number 5.');
    expect(() => tok.idToToken(0)).toThrow(MetricsInputError);
    expect(() => WordTokenizer.fromTokens(['a', 'a'])).toThrow(MetricsInputError);
  });

  const hasData = existsSync(ANNOTATION);
  it.skipIf(!hasData)('IU X-Ray train split at threshold 3 gives 760 tokens incl. <unk>, and the spec over-length counts', () => {
    const ann = JSON.parse(readFileSync(ANNOTATION, 'utf8')) as Annotation;
    expect([ann.train.length, ann.val.length, ann.test.length]).toEqual([2069, 296, 590]);
    const iu = buildVocabulary({ reports: ann.train.map((e) => e.report), threshold: 3, cleaner: 'iu_xray' });
    expect(iu.size).toBe(760);
    expect(iu.tokens).toContain(UNK_TOKEN);
    const over = (split: Entry[]): number => split.filter((e) => pySplit(cleanReportIuXray(e.report)).length > 59).length;
    expect([over(ann.train), over(ann.val), over(ann.test)]).toEqual([162, 24, 29]);
    // A 59-token cap: references decode to at most 59 tokens once truncated to 60 ids.
    const longest = Math.max(...ann.test.map((e) => pySplit(iu.referenceText(e.report, 60)).length));
    expect(longest).toBe(59);
  });
  if (!hasData) it.skip(`IU X-Ray anchors skipped: ${ANNOTATION} is absent on this machine`, () => undefined);
});
