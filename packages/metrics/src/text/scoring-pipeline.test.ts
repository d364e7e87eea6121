import { describe, expect, it } from 'vitest';
import { MetricsInputError, MetricsOptionError } from '../errors.js';
import { rougeL } from '../nlg/rouge.js';
import { scoringText } from './scoring-pipeline.js';
import { buildVocabulary } from './vocabulary.js';

describe('scoringText', () => {
  const reports = ['No effusion.  Heart normal.', 'Rare finding here.'];
  const hyps = ['no effusion.', 'heart - size normal.'];

  it("'r2gen' re-decodes references through the vocabulary (<unk>, single spaces)", () => {
    const tokenizer = buildVocabulary({ reports: ['No effusion. Heart normal.', 'No effusion.'], threshold: 1 });
    const out = scoringText(hyps, reports, { pipeline: 'r2gen', tokenizer });
    // "rare", "finding" and "here" never occur in the training reports: <unk> in the reference too.
    expect(out.refs).toEqual([['no effusion . heart normal .'], ['<unk> <unk> <unk> .']]);
    expect(out.hyps).toEqual(hyps);
    expect(scoringText(hyps, reports, { pipeline: 'r2gen', tokenizer, maxSeqLength: 3 }).refs[0]).toEqual(['no effusion']);
  });

  it("'promptmrg', 'camegrad' and 'blip' prepare the sides as their papers do", () => {
    expect(scoringText(hyps, reports, { pipeline: 'promptmrg' }).refs[0]).toEqual(['no effusion . heart normal .']);
    const came = scoringText(hyps, reports, { pipeline: 'camegrad' });
    expect(came.hyps).toEqual(['no effusion . ', 'heart-size normal . ']);
    // The rewrite's trailing space is part of the protocol: it costs ROUGE-L precision.
    expect(rougeL(came.hyps.slice(0, 1), [['no effusion .']]).corpus).toBeCloseTo(1.83 / 2.08, 15);
    expect(scoringText(hyps, reports, { pipeline: 'blip' }).refs[0]).toEqual(['no effusion heart normal']);
  });

  it('rejects bad input', () => {
    expect(() => scoringText(hyps, reports.slice(0, 1), { pipeline: 'blip' })).toThrow(MetricsInputError);
    expect(() => scoringText(hyps, reports, { pipeline: 'r2gen' })).toThrow(MetricsOptionError);
    expect(() => scoringText(hyps, reports, { pipeline: 'bogus' as 'blip' })).toThrow(MetricsOptionError);
  });
});
