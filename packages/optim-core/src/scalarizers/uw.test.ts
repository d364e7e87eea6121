import { describe, expect, it } from 'vitest';
import { UW_DEFAULTS, createUW } from './uw';

describe('createUW', () => {
  it('replays a loss sequence against hand-computed weights (SGD)', () => {
    const uw = createUW({ lr: 0.1, optimizer: 'sgd' });
    uw.init(2);
    expect([...uw.lossWeights([2, 0.5]).weights]).toEqual([0.5, 0.5]);
    uw.update({ losses: [2, 0.5] });
    // ∂/∂s = ½ − ½e^{−s}L at s = 0: (−0.5, 0.25), so s = (0.05, −0.025).
    const out = uw.lossWeights([1, 1]);
    expect(out.info.logVars[0]).toBeCloseTo(0.05, 15);
    expect(out.info.logVars[1]).toBeCloseTo(-0.025, 15);
    expect(out.weights[0]).toBeCloseTo(0.5 * Math.exp(-0.05), 15);
    expect(out.weights[1]).toBeCloseTo(0.5 * Math.exp(0.025), 15);
    expect(out.info.regularizer).toBeCloseTo(0.5 * (0.05 - 0.025), 15);
    uw.update({ losses: [1, 1] });
    const s2 = [0.05 - 0.1 * (0.5 - 0.5 * Math.exp(-0.05)), -0.025 - 0.1 * (0.5 - 0.5 * Math.exp(0.025))];
    expect(uw.getState().logVars[0]).toBeCloseTo(s2[0]!, 15);
    expect(uw.getState().logVars[1]).toBeCloseTo(s2[1]!, 15);
  });

  it('converges to s = log L for constant losses', () => {
    const uw = createUW({ lr: 0.5, optimizer: 'sgd' });
    uw.init(2);
    for (let t = 0; t < 300; t++) uw.update({ losses: [4, 0.25] });
    const [a, b] = uw.getState().logVars;
    expect(a).toBeCloseTo(Math.log(4), 10);
    expect(b).toBeCloseTo(Math.log(0.25), 10);
  });

  it('takes Adam steps of lr·sign(g) first and resumes exactly from a checkpoint', () => {
    const uw = createUW({ lr: 0.01 });
    uw.init(2);
    uw.update({ losses: [3, 0.2] });
    const s = uw.getState().logVars;
    expect(s[0]).toBeCloseTo((0.01 * 1) / (1 + 1e-8), 15);
    expect(s[1]).toBeCloseTo((-0.01 * 0.4) / (0.4 + 1e-8), 15);
    const saved = JSON.parse(JSON.stringify(uw.getState()));
    const resumed = createUW(uw.toConfig().options);
    resumed.setState(saved);
    for (const losses of [[1, 2], [0.5, 0.1], [2, 2]]) {
      uw.update({ losses });
      resumed.update({ losses });
    }
    expect(resumed.getState()).toEqual(uw.getState());
    expect([...resumed.lossWeights([1, 1]).weights]).toEqual([...uw.lossWeights([1, 1]).weights]);
  });

  it('validates options, losses and call order', () => {
    expect(UW_DEFAULTS).toEqual({ initLogVar: 0, lr: 1e-3, optimizer: 'adam' });
    expect(Object.isFrozen(UW_DEFAULTS)).toBe(true);
    expect(() => createUW({ lr: 0 })).toThrow(/`uw.lr` should be a finite number > 0/);
    expect(() => createUW({ optimizer: 'rmsprop' as 'sgd' })).toThrow(/`uw.optimizer` should be 'adam' or 'sgd'/);
    expect(() => createUW({ lrr: 1 } as object)).toThrow(/`uw.lrr` should be one of the known options/);
    const uw = createUW({ initLogVar: -0.5 });
    expect(() => uw.lossWeights([1])).toThrow(/init\(K\)/);
    uw.init(2);
    expect(uw.lossWeights([1, 1]).weights[0]).toBeCloseTo(0.5 * Math.exp(0.5), 15);
    expect(() => uw.update({ losses: [1, Number.NaN] })).toThrow(/`losses` should be finite at index 1/);
    expect(() => uw.update({ losses: [1] })).toThrow(/of length K = 2/);
    expect(uw.toString()).toBe('UW(initLogVar=-0.5, lr=0.001, optimizer=adam)');
  });
});
