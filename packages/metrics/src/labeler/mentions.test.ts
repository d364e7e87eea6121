import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanForLabeler, sentenceSpans, splitSentences } from './clean';
import { extractMentions, indexSentences } from './mentions';
import { loadPhraseTables } from './phrase-lists';

const tables = loadPhraseTables();

/** Reference: the original's per-sentence loop, written as plainly as possible. */
function naive(text: string): string[] {
  const out: string[] = [];
  splitSentences(text).forEach((sentence, si) => {
    for (const t of tables) {
      const find = (p: string) => {
        const hits: [number, number][] = [];
        for (let from = 0, s = sentence.indexOf(p); s >= 0; from = s + p.length, s = sentence.indexOf(p, from)) hits.push([s, s + p.length]);
        return hits;
      };
      const vetoes = t.unmentions.flatMap(find);
      for (const p of t.mentions) {
        for (const [s, e] of find(p)) {
          if (!vetoes.some(([us, ue]) => s < ue && e > us)) out.push(`${si}:${t.key}:${p}:${s}`);
        }
      }
    }
  });
  return out.sort();
}

function fast(text: string): string[] {
  const spans = sentenceSpans(text);
  return extractMentions(tables, text, indexSentences(text.length, spans))
    .map((m) => `${m.sentence}:${m.key}:${m.phrase}:${m.start - spans[m.sentence * 2]!}`)
    .sort();
}

const WORDS = ['line', 'line.', 'lines', 'mediastinum', 'mediastinum.', 'the', 'heart', 'heart.', 'over', 'in', 'right', 'size', 'no', 'effusion', 'pericardial', 'calcified', 'nodule', 'drain', 'tube.', 'x', '.', '?', '!', 'pleural', 'scar', 'massive', 'mass', 'chf'];

describe('extractMentions over the whole report', () => {
  it('equals a sentence-by-sentence search (phrases with edge spaces included)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }), (words) => {
        const text = cleanForLabeler(words.join(' '));
        expect(fast(text)).toEqual(naive(text));
      }),
      { seed: 31337, numRuns: 200 },
    );
  });

  it('does not let " line " start on the space between two sentences', () => {
    const text = cleanForLabeler('Pleural tube. line line drawn.');
    expect(fast(text)).toEqual(naive(text));
    expect(fast(text)).toContain('1:support_devices: line :4');
  });

  it('applies unmentions: pericardial effusion, calcified nodule, over the heart', () => {
    const text = cleanForLabeler('Small pericardial effusion. Calcified nodule. Leads over the heart. Massive effusion.');
    expect(fast(text)).toEqual(naive(text));
    const keys = fast(text).map((s) => s.split(':').slice(0, 2).join(':'));
    expect(keys).not.toContain('0:pleural_effusion');
    expect(keys).not.toContain('1:lung_lesion');
    expect(keys).not.toContain('2:cardiomegaly');
    expect(keys).toContain('3:pleural_effusion');
    expect(keys).not.toContain('3:lung_lesion');
  });
});
