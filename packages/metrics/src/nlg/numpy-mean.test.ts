import { describe, expect, it } from 'vitest';
import { numpyMean } from './numpy-mean.js';

describe('numpyMean (pairwise summation as np.mean)', () => {
  it('matches numpy where naive left-to-right summation does not', () => {
    // Values printed by numpy 2.4: np.mean([0.1]*10) = 0.1 whereas sum(...)/10 = 0.09999999999999999.
    expect(numpyMean(new Array<number>(10).fill(0.1))).toBe(0.1);
    // np.mean([1/(i+1) for i in range(1000)]) = 0.007485470860550345 (naive: …343); exercises the 128-blocks.
    expect(numpyMean(Array.from({ length: 1000 }, (_, i) => 1 / (i + 1)))).toBe(0.007485470860550345);
    expect(numpyMean(Array.from({ length: 300 }, (_, i) => i * 0.1))).toBe(14.95);
  });

  it('handles short vectors sequentially', () => {
    expect(numpyMean([1, 2, 3])).toBe(2);
    expect(numpyMean([0.5])).toBe(0.5);
  });
});
