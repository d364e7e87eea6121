import { describe, expect, it } from 'vitest';
import { createRLW } from './rlw';
import { createSeededRng } from './seeded-rng';

describe('createRLW', () => {
  it('weights by softmax of the seeded normal sample and echoes it', () => {
    const rlw = createRLW();
    rlw.init(3, 11);
    const reference = createSeededRng(11);
    for (let t = 0; t < 3; t++) {
      const z = [reference.nextNormal(), reference.nextNormal(), reference.nextNormal()];
      const out = rlw.lossWeights([1, 1, 1]);
      expect(out.info.sample).toEqual(z);
      const e = z.map(Math.exp);
      const sum = e[0]! + e[1]! + e[2]!;
      e.forEach((ei, i) => expect(out.weights[i]).toBeCloseTo(ei / sum, 15));
      // lossWeights is pure: asking twice gives the same weights.
      expect([...rlw.lossWeights([1, 1, 1]).weights]).toEqual([...out.weights]);
      rlw.update({ losses: [1, 1, 1] });
    }
  });

  it('is reproducible per seed and resumes exactly', () => {
    const a = createRLW();
    const b = createRLW();
    a.init(2, 5);
    b.init(2, 6);
    expect(a.lossWeights([1, 1]).weights).not.toEqual(b.lossWeights([1, 1]).weights);
    a.update({ losses: [1, 1] });
    const resumed = createRLW();
    resumed.setState(JSON.parse(JSON.stringify(a.getState())));
    for (let t = 0; t < 4; t++) {
      a.update({ losses: [1, 1] });
      resumed.update({ losses: [1, 1] });
      expect([...resumed.lossWeights([1, 1]).weights]).toEqual([...a.lossWeights([1, 1]).weights]);
    }
    expect(() => createRLW({ dist: 'uniform' } as unknown as Record<string, never>)).toThrow(/`rlw.dist` should be one of the known options/);
  });
});
