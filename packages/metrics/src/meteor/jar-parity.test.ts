import { describe, expect, it } from 'vitest';
import { createMeteorScorer } from './meteor.js';

// Parity with Meteor 1.5 itself, paraphrase module off. The expected scores and statistics were
// printed by Meteor 1.5 built from its public source and run by the author as
// `Meteor - - -stdio -l en -norm -m "exact stem synonym" -w "1.0 0.6 0.8"` (SCORE, then EVAL lines),
// i.e. pycocoevalcap's command without the paraphrase table. The jar's own function-word list
// is frequency-based; JAR_FUNCTION_WORDS is its classification of the tokens that occur below.
const JAR_FUNCTION_WORDS = new Set(['"', "'s", ',', '-', '.', ':', 'a', 'and', 'are', 'is', 'it', 'no', 'the', 'were']);

const CASES: { hyp: string; refs: string[]; score: number; stats: string }[] = [
  { hyp: '', refs: ['no effusion'], score: 0, stats: '0 2 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0' },
  {
    hyp: 'Dr. Smith saw U.S. patients... The heart-size is normal, 4,5 cm.',
    refs: ['Dr. Smith, heart size is normal. 4.5 cm'],
    score: 0.3775519015311862,
    stats: '15 10 4 3 6 6 3 3 0 0 0 0 0 0 0 0 0 0 0 0 5 9 9',
  },
  {
    hyp: "It's the patient's 1990's film -- \u201cclear\u201d",
    refs: ["it is the patient's film: clear"],
    score: 0.3597867810289638,
    stats: '12 8 8 5 3 3 3 3 0 0 0 0 0 0 0 0 0 0 0 0 4 6 6',
  },
  { hyp: 'a-b-c d--e', refs: ['a b c d e', 'x'], score: 0.24917504157583614, stats: '4 5 1 1 2 2 1 1 0 0 0 0 0 0 0 0 0 0 0 0 2 3 3' },
  { hyp: 'lungs clear', refs: ['the lungs are clear .', 'lungs are clear'], score: 0.35036496350364965, stats: '2 3 0 1 2 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2 2 2' },
  { hyp: 'the lung is clear .', refs: ['the lungs are clear .'], score: 0.8444444444444446, stats: '5 5 3 3 1 1 2 2 1 1 0 0 0 0 1 1 0 0 0 0 1 5 5' },
  { hyp: 'opacities and effusions were seen', refs: ['opacity and effusion is seen'], score: 0.7636363636363638, stats: '5 5 2 2 1 1 1 1 2 2 0 0 0 0 1 1 0 0 0 0 1 5 5' },
  { hyp: 'No. 5 tube', refs: ['No. 5 tubes'], score: 0.8666666666666667, stats: '3 3 0 0 2 2 0 0 1 1 0 0 0 0 0 0 0 0 0 0 1 3 3' },
];

describe('METEOR_approx against Meteor 1.5 without its paraphrase table', () => {
  const scorer = createMeteorScorer({ functionWords: JAR_FUNCTION_WORDS });

  it.each(CASES)('reproduces the jar on %j', ({ hyp, refs, score, stats }) => {
    const s = scorer.segmentStats(hyp, refs);
    const flat = [s.testLength, s.referenceLength, s.testFunctionWords, s.referenceFunctionWords];
    for (let m = 0; m < 4; m++) flat.push(s.testContent[m] as number, s.referenceContent[m] as number, s.testFunction[m] as number, s.referenceFunction[m] as number);
    flat.push(s.chunks, s.testWordMatches, s.referenceWordMatches);
    expect(flat.join(' ')).toBe(stats);
    expect(scorer.score([hyp], [refs]).perItem[0]).toBeCloseTo(score, 14);
  });
});
