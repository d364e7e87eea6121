import { describe, expect, it } from 'vitest';
import { GRADNORM_DEFAULTS, createGradNorm } from './gradnorm';

describe('createGradNorm', () => {
  it('replays the paper variant against hand-computed weights (SGD, lr 0.1, α 1.5)', () => {
    const gn = createGradNorm({ lr: 0.1, optimizer: 'sgd' });
    gn.init(2);
    expect([...gn.lossWeights([2, 1]).weights]).toEqual([1, 1]);
    // Step 1: L(0) = (2, 1), r = (1, 1), G = (3, 1), Ḡ = 2: ∂/∂w = (3, −1); w = (0.7, 1.1) → ×2/1.8 = (7/9, 11/9).
    gn.update({ losses: [2, 1], gradNorms: [3, 1] });
    let w = gn.lossWeights([1, 1]).weights;
    expect(w[0]).toBeCloseTo(7 / 9, 15);
    expect(w[1]).toBeCloseTo(11 / 9, 15);
    // Step 2: L̃ = (1/2, 1), r = (2/3, 4/3); G = (21/9, 11/9), Ḡ = 16/9, targets (0.968, 2.737):
    // signs (+, −), w = (43/90, 119/90) → (43/81, 119/81).
    gn.update({ losses: [1, 1], gradNorms: [3, 1] });
    w = gn.lossWeights([1, 1]).weights;
    expect(w[0]).toBeCloseTo(43 / 81, 15);
    expect(w[1]).toBeCloseTo(119 / 81, 15);
  });

  it('replays the LibMTL variant: equal weights in epoch 1, then K·softmax(s)', () => {
    const gn = createGradNorm({ lr: 0.1, optimizer: 'sgd', libmtl: true });
    gn.init(2);
    for (const losses of [[3, 1], [1, 1]]) {
      expect([...gn.lossWeights(losses).weights]).toEqual([1, 1]);
      expect(gn.lossWeights(losses).info.learning).toBe(false);
      gn.update({ losses });
    }
    gn.endEpoch();
    expect(gn.getState().initialLosses).toEqual([2, 1]);
    expect([...gn.lossWeights([1, 1]).weights]).toEqual([1, 1]);
    // L̃ = (1/2, 1), r = (2/3, 4/3), G = (3, 1), Ḡ = 2, targets (1.089, 3.079): ∂/∂w = (3, −1);
    // ∂/∂s = K·z⊙(u − zᵀu) = (2, −2); s = (−0.2, 0.2).
    gn.update({ losses: [1, 1], gradNorms: [3, 1] });
    const w = gn.lossWeights([1, 1]).weights;
    const e = [Math.exp(-0.2), Math.exp(0.2)];
    expect(w[0]).toBeCloseTo((2 * e[0]!) / (e[0]! + e[1]!), 15);
    expect(w[1]).toBeCloseTo((2 * e[1]!) / (e[0]! + e[1]!), 15);
  });

  it('resumes exactly from a checkpoint', () => {
    const gn = createGradNorm({ alpha: 0.5 });
    gn.init(3);
    const feed = (t: number) => ({ losses: [1 / (t + 1), 2 / (t + 2), 1 + 0.1 * t], gradNorms: [1 + t, 0.5, 2 - 0.1 * t] });
    for (let t = 0; t < 3; t++) gn.update(feed(t));
    const resumed = createGradNorm(gn.toConfig().options);
    resumed.setState(JSON.parse(JSON.stringify(gn.getState())));
    for (let t = 3; t < 6; t++) {
      gn.update(feed(t));
      resumed.update(feed(t));
    }
    expect(resumed.getState()).toEqual(gn.getState());
    const w = gn.lossWeights([1, 1, 1]).weights;
    expect(w[0]! + w[1]! + w[2]!).toBeCloseTo(3, 14);
  });

  it('validates options and feedback', () => {
    expect(GRADNORM_DEFAULTS.alpha).toBe(1.5);
    expect(gnRequires()).toEqual({ lossesAfter: false, gradNorms: true });
    expect(() => createGradNorm({ alpha: -1 })).toThrow(/`gradnorm.alpha` should be a finite number ≥ 0/);
    expect(() => createGradNorm({ libmtl: 'yes' as unknown as boolean })).toThrow(/`gradnorm.libmtl` should be a boolean/);
    const gn = createGradNorm();
    gn.init(2);
    expect(() => gn.update({ losses: [1, 1] })).toThrow(/`gradNorms` should be given/);
  });
});

function gnRequires() {
  return createGradNorm().requires;
}
