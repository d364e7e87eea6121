import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beamSearch, type BeamScorer } from './beam-search';
import { blockedByTrigram } from './trigram-block';

const EOS = 0;

/** A toy scorer from a function of the prefix; its state is the item of each row, to check reordering. */
function toyScorer(probs: (item: number, prefix: readonly number[]) => number[]): { scorer: BeamScorer<number[]>; calls: number[][][] } {
  const calls: number[][][] = [];
  const scorer: BeamScorer<number[]> = {
    logProbs(state, prefixes) {
      calls.push(prefixes.map((p) => [...p]));
      const rows = prefixes.map((p, r) => probs(state[r] as number, p).map(Math.log));
      const vocabSize = rows[0]?.length ?? 0;
      return { values: Float64Array.from(rows.flat()), vocabSize };
    },
    reorder: (state, rows) => rows.map((r) => state[r] as number),
  };
  return { scorer, calls };
}

// V = {0: EOS, 1: a, 2: b}. Greedy takes a (0.5) then a/b (0.35): at best 0.175; beam 2 finds b, EOS (0.4 · 0.9 = 0.36).
const garden = (_item: number, prefix: readonly number[]): number[] => {
  if (prefix.length === 0) return [0.1, 0.5, 0.4];
  if (prefix.length === 1) return prefix[0] === 1 ? [0.3, 0.35, 0.35] : [0.9, 0.05, 0.05];
  return [1, 0, 0];
};

describe('beamSearch', () => {
  it('greedy and beam search give the exact hypotheses of a garden-path model', () => {
    const greedy = beamSearch(toyScorer(garden).scorer, [0], { batchSize: 1, beamSize: 1, maxLen: 5, eos: EOS });
    expect(greedy).toEqual([{ tokens: [1, 1], score: Math.log(0.5) + Math.log(0.35) + Math.log(1) }]);
    const { scorer, calls } = toyScorer(garden);
    const beam = beamSearch(scorer, [0], { batchSize: 1, beamSize: 2, maxLen: 5, eos: EOS });
    expect(beam).toEqual([{ tokens: [2], score: Math.log(0.4) + Math.log(0.9) }]);
    // Stopped early once the finished 0.36 beat the best live 0.175: two scoring calls only.
    expect(calls).toEqual([[[]], [[1], [2]]]);
  });

  it('blocks repeated trigrams, never EOS', () => {
    // Prefers continuing the cycle 1 2 1 2 …, then token 3, never EOS.
    const cycle = (_i: number, p: readonly number[]): number[] => {
      const next = p.length % 2 === 0 ? 1 : 2;
      return [0.01, next === 1 ? 0.6 : 0.1, next === 2 ? 0.6 : 0.1, 0.29];
    };
    const plain = beamSearch(toyScorer(cycle).scorer, [0], { batchSize: 1, beamSize: 1, maxLen: 6, eos: EOS });
    expect(plain[0]?.tokens).toEqual([1, 2, 1, 2, 1, 2]);
    const blocked = beamSearch(toyScorer(cycle).scorer, [0], { batchSize: 1, beamSize: 1, maxLen: 6, eos: EOS, blockTrigrams: true });
    // [1 2 1 2] then 1 would repeat (1 2 1): 3 is next best; then (2 3 x) is new, so the cycle resumes.
    expect(blocked[0]?.tokens).toEqual([1, 2, 1, 2, 3, 2]);
    expect([...blockedByTrigram([1, 2, 1, 2])]).toEqual([1]);
    expect([...blockedByTrigram([5, 5, 5])]).toEqual([5]);
    expect([...blockedByTrigram([1, 2])]).toEqual([]);
  });

  it('forbids EOS below minLen and ends hypotheses at maxLen', () => {
    const eager = (): number[] => [0.7, 0.2, 0.1];
    expect(beamSearch(toyScorer(eager).scorer, [0], { batchSize: 1, beamSize: 1, maxLen: 5, eos: EOS })[0]?.tokens).toEqual([]);
    expect(beamSearch(toyScorer(eager).scorer, [0], { batchSize: 1, beamSize: 1, maxLen: 5, minLen: 2, eos: EOS })[0]?.tokens).toEqual([1, 1]);
    const never = (): number[] => [0, 0.5, 0.5];
    const long = beamSearch(toyScorer(never).scorer, [0], { batchSize: 1, beamSize: 2, maxLen: 4, eos: EOS });
    expect(long[0]?.tokens).toHaveLength(4);
    expect(beamSearch(toyScorer(never).scorer, [0], { batchSize: 1, beamSize: 2, maxLen: 0, eos: EOS })[0]).toEqual({ tokens: [], score: 0 });
  });

  it('decodes the items of a batch independently, with rows reordered consistently', () => {
    const perItem = (item: number, p: readonly number[]): number[] => (item === 0 ? garden(item, p) : p.length < 2 ? [0.05, 0.05, 0.9] : [1, 0, 0]);
    const { scorer, calls } = toyScorer(perItem);
    const out = beamSearch(scorer, [0, 1], { batchSize: 2, beamSize: 2, maxLen: 5, eos: EOS });
    expect(out.map((h) => h.tokens)).toEqual([[2], [2, 2]]);
    for (const call of calls) expect(call.every((p) => p.length === (call[0]?.length ?? 0))).toBe(true);
  });

  it('rejects bad options naming them', () => {
    const { scorer } = toyScorer(garden);
    expect(() => beamSearch(scorer, [0], { batchSize: 1, beamSize: 0, maxLen: 5, eos: EOS })).toThrow(/`beamSize` should be an integer ≥ 1/);
    expect(() => beamSearch(scorer, [0], { batchSize: 1, beamSize: 1, maxLen: 2.5, eos: EOS })).toThrow(/`maxLen`/);
  });

  it('with a beam as wide as the search space, finds the exhaustive optimum (property, fixed seed)', () => {
    const V = 3;
    const maxLen = 3;
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 40 * V, maxLength: 40 * V }), fc.boolean(), (raw, block) => {
        // Row of prefix p: index from its digits, normalised to a distribution.
        const index = (p: readonly number[]): number => p.reduce((a, t) => a * V + t + 1, 0) % 40;
        const dist = (_i: number, p: readonly number[]): number[] => {
          const row = raw.slice(index(p) * V, index(p) * V + V);
          const z = row.reduce((a, b) => a + b, 0);
          return row.map((x) => x / z);
        };
        let best = -Infinity;
        const visit = (p: number[], score: number): void => {
          const probs = dist(0, p);
          if (p.length === maxLen) {
            best = Math.max(best, score);
            return;
          }
          const blocked = block ? blockedByTrigram(p) : new Set<number>();
          probs.forEach((q, w) => {
            if (w === EOS) best = Math.max(best, score + Math.log(q));
            else if (!blocked.has(w)) visit([...p, w], score + Math.log(q));
          });
        };
        visit([], 0);
        const [hyp] = beamSearch(toyScorer(dist).scorer, [0], { batchSize: 1, beamSize: 27, maxLen, eos: EOS, blockTrigrams: block });
        expect(hyp?.score).toBeCloseTo(best, 12);
      }),
      { seed: 20261126, numRuns: 60 },
    );
  });
});
