import { describe, expect, it } from 'vitest';
import { DWA_DEFAULTS, createDWA } from './dwa';

describe('createDWA', () => {
  it('uses λ = 1 for two epochs, then K·softmax(r/T) from epoch means', () => {
    const dwa = createDWA();
    dwa.init(2);
    const epochs = [
      [[1, 2], [3, 4]], // means (2, 3)
      [[1, 3], [1, 3]], // means (1, 3)
      [[2, 6], [0, 0]], // means (1, 3)
    ];
    const seen: number[][] = [];
    for (const epoch of epochs) {
      for (const losses of epoch) {
        seen.push([...dwa.lossWeights(losses).weights]);
        dwa.update({ losses });
      }
      dwa.endEpoch();
    }
    expect(seen.slice(0, 4)).toEqual([[1, 1], [1, 1], [1, 1], [1, 1]]);
    // Epoch 3: r = (1/2, 3/3), λ = 2·softmax((0.25, 0.5)).
    const e3 = [Math.exp(0.25), Math.exp(0.5)];
    expect(seen[4]![0]).toBeCloseTo((2 * e3[0]!) / (e3[0]! + e3[1]!), 15);
    expect(seen[5]![1]).toBeCloseTo((2 * e3[1]!) / (e3[0]! + e3[1]!), 15);
    // Epoch 4: r = (1/1, 3/3): equal weights.
    const out = dwa.lossWeights([1, 1]);
    expect(out.weights[0]).toBeCloseTo(1, 15);
    expect(out.info.ratios).toEqual([1, 1]);
  });

  it('resumes mid-epoch from a checkpoint', () => {
    const dwa = createDWA({ temperature: 0.5 });
    dwa.init(3);
    const seq = [[1, 2, 3], [2, 2, 2], [0.5, 1, 4], [1, 1, 1], [3, 2, 1], [1, 0.5, 0.25], [2, 1, 1]];
    seq.slice(0, 2).forEach((l) => dwa.update({ losses: l }));
    dwa.endEpoch();
    seq.slice(2, 4).forEach((l) => dwa.update({ losses: l }));
    dwa.endEpoch();
    dwa.update({ losses: seq[4]! });
    const resumed = createDWA(dwa.toConfig().options);
    resumed.setState(JSON.parse(JSON.stringify(dwa.getState())));
    for (const d of [dwa, resumed]) {
      d.update({ losses: seq[5]! });
      d.endEpoch();
      d.update({ losses: seq[6]! });
    }
    expect([...resumed.lossWeights([1, 1, 1]).weights]).toEqual([...dwa.lossWeights([1, 1, 1]).weights]);
    expect(resumed.getState()).toEqual(dwa.getState());
  });

  it('validates options and epochs', () => {
    expect(DWA_DEFAULTS.temperature).toBe(2);
    expect(() => createDWA({ temperature: 0 })).toThrow(/`dwa.temperature` should be a finite number > 0/);
    const dwa = createDWA();
    dwa.init(2);
    expect(() => dwa.endEpoch()).toThrow(/empty epoch/);
    expect(dwa.toString()).toBe('DWA(temperature=2)');
  });
});
