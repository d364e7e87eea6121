import { describe, expect, it } from 'vitest';
import { initialRotoGradState, rotationLoss, rotoGradMagnitude, rotoGradTarget, ROTOGRAD_DEFAULTS } from './rotograd';

describe('rotograd maths', () => {
  it('magnitude: ρ = 1 at the first step, then relative convergence, reset once after burn-in', () => {
    let state = initialRotoGradState();
    const first = rotoGradMagnitude([2, 4], state, { burnIn: 2 });
    // ρ = (1, 1): a = (½, ½), C = 3, coefficients C/‖g‖ = (1.5, 0.75).
    expect([...first.alphas]).toEqual([0.5, 0.5]);
    expect(first.C).toBe(3);
    expect([...first.coefficients]).toEqual([1.5, 0.75]);
    state = first.state;
    const second = rotoGradMagnitude([1, 4], state, { burnIn: 2 });
    // ρ = (½, 1): a = (⅓, ⅔), C = ⅓ + 8/3 = 3.
    expect(second.alphas[0]).toBeCloseTo(1 / 3, 15);
    expect(second.C).toBeCloseTo(3, 15);
    state = second.state;
    const third = rotoGradMagnitude([1, 1], state, { burnIn: 2 });
    // counter = 2 = burnIn: the reference resets to (1, 1), so ρ = (1, 1) and C = 1.
    expect([...third.alphas]).toEqual([0.5, 0.5]);
    expect(third.state.initialNorms).toEqual([1, 1]);
    const fourth = rotoGradMagnitude([0.5, 1], third.state, { burnIn: 2 });
    expect(fourth.alphas[0]).toBeCloseTo(1 / 3, 15); // no second reset
    expect(ROTOGRAD_DEFAULTS.burnIn).toBe(20);
  });

  it('gives every task the common norm C after rescaling, and handles zero gradients', () => {
    const r = rotoGradMagnitude([3, 0.5, 2], initialRotoGradState());
    [3, 0.5, 2].forEach((n, k) => expect(r.coefficients[k]! * n).toBeCloseTo(r.C, 14));
    const z = rotoGradMagnitude([0, 2], initialRotoGradState());
    expect([...z.coefficients]).toEqual([0, 0.5]); // a = (½, ½), C = ½·0 + ½·2 = 1
    expect(() => rotoGradMagnitude([1, Number.NaN], initialRotoGradState())).toThrow(/`norms` should be finite at index 1/);
    expect(() => rotoGradMagnitude([1], { initialNorms: [1, 2], counter: 3 })).toThrow(/length K = 1/);
  });

  it('target v is the mean of the norm-equalised gradients; the rotation loss gradient matches finite differences', () => {
    const g0 = [3, 0, 0, 4]; // B = 2, m = 2; ‖g0‖ = 5
    const g1 = [0, 1, 0, 0]; // ‖g1‖ = 1
    const mag = rotoGradMagnitude([5, 1], initialRotoGradState());
    const v = rotoGradTarget([g0, g1], mag.coefficients);
    // C = 3: v = ½(3/5·g0 + 3·g1).
    [0.9, 1.5, 0, 1.2].forEach((x, t) => expect(v[t]).toBeCloseTo(x, 15));
    const theta = 0.3;
    const R = [Math.cos(theta), -Math.sin(theta), Math.sin(theta), Math.cos(theta)];
    const gTilde = [1, 0.5, -0.2, 1];
    const { loss, gradient } = rotationLoss(R, v, gTilde, 2);
    let expected = 0;
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 2; i++) expected += (R[i * 2]! * v[b * 2]! + R[i * 2 + 1]! * v[b * 2 + 1]! - gTilde[b * 2 + i]!) ** 2;
    }
    expect(loss).toBeCloseTo(expected, 14);
    for (let e = 0; e < 4; e++) {
      const h = 1e-6;
      const Rp = [...R];
      const Rm = [...R];
      Rp[e] = Rp[e]! + h;
      Rm[e] = Rm[e]! - h;
      const fd = (rotationLoss(Rp, v, gTilde, 2).loss - rotationLoss(Rm, v, gTilde, 2).loss) / (2 * h);
      expect(gradient[e]).toBeCloseTo(fd, 8);
    }
    expect(() => rotationLoss(R, v, [1, 2], 2)).toThrow(/`gTilde` should be of length 4/);
  });
});
