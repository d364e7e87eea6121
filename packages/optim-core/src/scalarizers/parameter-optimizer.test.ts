import { describe, expect, it } from 'vitest';
import { initialOptimizerState, optimizerStep, restoreOptimizerState } from './parameter-optimizer';

describe('optimizerStep', () => {
  it('follows torch Adam for two hand-computed steps (with coupled weight decay)', () => {
    const lr = 0.1;
    const wd = 0.5;
    let p = 1;
    let m = 0;
    let v = 0;
    const grads = [0.5, -1];
    let state = initialOptimizerState(1);
    let params = [p];
    grads.forEach((g0, k) => {
      const t = k + 1;
      const g = g0 + wd * p;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      p = p - (lr * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
      const next = optimizerStep('adam', params, [g0], state, lr, wd);
      params = next.params;
      state = next.state;
      expect(params[0]).toBeCloseTo(p, 14);
    });
    // The first Adam step moves a parameter by lr·g/(|g| + ε).
    expect(optimizerStep('adam', [1], [0.5], initialOptimizerState(1), 0.1, 0).params[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-8), 15);
    expect(state.t).toBe(2);
  });

  it('does plain SGD and leaves its inputs untouched', () => {
    const params = [1, 2];
    const s = initialOptimizerState(2);
    const next = optimizerStep('sgd', params, [0.5, -1], s, 0.1, 0.2);
    expect(next.params).toEqual([1 - 0.1 * (0.5 + 0.2), 2 - 0.1 * (-1 + 0.4)]);
    expect(params).toEqual([1, 2]);
    expect(s).toEqual({ t: 0, m: [0, 0], v: [0, 0] });
  });

  it('validates restored states', () => {
    expect(() => restoreOptimizerState('opt', { t: -1, m: [0], v: [0] }, 1)).toThrow(/`opt.t` should be an integer ≥ 0/);
    expect(() => restoreOptimizerState('opt', { t: 0, m: [0], v: [Number.NaN] }, 1)).toThrow(/`opt.v`/);
  });
});
