import { describe, expect, it } from 'vitest';
import { FAMO_DEFAULTS, createFAMO } from './famo';

describe('createFAMO', () => {
  it('replays two steps against hand-computed weights', () => {
    const famo = createFAMO({ eps: 0 });
    famo.init(2);
    // z = (½, ½), D = (1, 4): c = 1/(½ + ⅛) = 1.6, λ = c·z/D = (0.8, 0.2).
    const first = famo.lossWeights([1, 4]);
    expect(first.info.c).toBeCloseTo(1.6, 15);
    expect(first.weights[0]).toBeCloseTo(0.8, 15);
    expect(first.weights[1]).toBeCloseTo(0.2, 15);
    // After the step the losses are (0.5, 3.8): δ = (log 2, log(4/3.8)); g = z⊙(δ − zᵀδ) = ±(δ0 − δ1)/4.
    famo.update({ losses: [1, 4], lossesAfter: [0.5, 3.8] });
    const d0 = Math.log(2);
    const d1 = Math.log(4 / 3.8);
    const g = (d0 - d1) / 4;
    // First Adam step (weight decay acts on ξ = 0, so it adds nothing): ξ = ∓lr·|g|/(|g| + 1e-8).
    const step = (0.025 * g) / (g + 1e-8);
    const { logits } = famo.getState();
    expect(logits[0]).toBeCloseTo(-step, 15);
    expect(logits[1]).toBeCloseTo(step, 15);
    // The task whose log-loss fell less (task 1) now gets more weight.
    const out = famo.lossWeights([1, 1]);
    const z1 = 1 / (1 + Math.exp(-2 * step));
    expect(out.info.z[1]).toBeCloseTo(z1, 15);
    expect(out.weights[1]).toBeCloseTo(z1, 15); // equal losses: λ = z
    expect(out.weights[0]! + out.weights[1]!).toBeCloseTo(1, 15);
  });

  it('shifts by minLosses, refuses losses below them, and resumes exactly', () => {
    const famo = createFAMO({ minLosses: [0.5, 0], eps: 0 });
    famo.init(2);
    expect(famo.lossWeights([1.5, 1]).weights[0]).toBeCloseTo(0.5, 15);
    expect(() => famo.lossWeights([0.4, 1])).toThrow(/`losses\[0\]` − minLosses\[0\] \+ eps should be > 0/);
    expect(() => famo.update({ losses: [1, 1] })).toThrow(/`lossesAfter` should be given/);
    const seq = [[1, 2, 0.9, 1.9], [0.9, 1.9, 0.85, 1.7], [0.85, 1.7, 0.84, 1.5], [0.84, 1.5, 0.7, 1.45]];
    famo.update({ losses: seq[0]!.slice(0, 2), lossesAfter: seq[0]!.slice(2) });
    const resumed = createFAMO(famo.toConfig().options);
    resumed.setState(JSON.parse(JSON.stringify(famo.getState())));
    for (const s of seq.slice(1)) {
      famo.update({ losses: s.slice(0, 2), lossesAfter: s.slice(2) });
      resumed.update({ losses: s.slice(0, 2), lossesAfter: s.slice(2) });
    }
    expect(resumed.getState()).toEqual(famo.getState());
    expect(famo.requires).toEqual({ lossesAfter: true, gradNorms: false });
  });

  it('validates options', () => {
    expect(FAMO_DEFAULTS).toMatchObject({ lr: 0.025, weightDecay: 0.01, eps: 1e-8 });
    expect(() => createFAMO({ weightDecay: -1 })).toThrow(/`famo.weightDecay` should be a finite number ≥ 0/);
    expect(() => createFAMO({ minLosses: [Number.NaN] })).toThrow(/`famo.minLosses` should be an array of finite numbers/);
    expect(() => createFAMO({ minLosses: [0] }).init(2)).toThrow(/`famo.minLosses` should be an array of length K = 2/);
    expect(createFAMO().toString()).toBe('FAMO(lr=0.025, weightDecay=0.01, eps=1e-8)');
  });
});
