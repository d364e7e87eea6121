import { describe, expect, it } from 'vitest';
import { createAggregator } from '../aggregators/registry';
import { ContractError } from '../errors';
import { gramian } from '../gram/gramian';
import { ConflictTracker } from './conflict-tracker';
import { computeStepDiagnostics } from './step-diagnostics';

describe('computeStepDiagnostics', () => {
  it('follows the energy identity ‖g_joint‖² = Σω_i²‖g_i‖² + 2Σ_{i<j} ω_i ω_j ⟨g_i, g_j⟩ (K = 3)', () => {
    const M = gramian([[1, 2, 0], [-1, 0, 3], [2, -1, 1]]);
    const w = Float64Array.of(1, 0.5, 2);
    const d = computeStepDiagnostics(M, w, Float64Array.of(1, 1, 1));
    expect(d.jointNormSq).toBeCloseTo(d.weightedEnergy + d.interaction, 12);
    // M = [[5, -1, 0], [-1, 10, 1], [0, 1, 6]]
    expect(d.weightedEnergy).toBe(5 + 0.25 * 10 + 4 * 6);
    expect(d.interaction).toBe(2 * (0.5 * -1 + 0 + 1 * 1));
    expect(d.interactionWithGeneration).toBe(2 * 0.5 * -1);
    expect(d.conflictPairs).toEqual([[0, 1]]);
    expect(d.conflictWithGeneration).toEqual([false, true, false]);
    expect(d.anyConflict).toBe(true);
    expect(d.finalNorm).toBeCloseTo(Math.sqrt(5 + 10 + 6 + 2 * (-1 + 0 + 1)), 14);
    expect(d.minInnerFinal).toBe(4);
    expect(d.branch).toBeNull();
    expect(d.cosines[1]![1]).toBe(1);
  });

  it('reports null cosines and energy ratio for zero rows, and its ratios are bitwise invariant under 2^k scaling', () => {
    const d = computeStepDiagnostics(gramian([[0, 0], [1, 1]]), Float64Array.of(1, 1), Float64Array.of(1, 1));
    expect(d.cosines[0]).toEqual([null, null]);
    const a = createAggregator('came-grad', { weights: [1, 4] });
    const x = a.aggregate([[-4, 1, 1], [6, 1, 1]]).info.diagnostics;
    const t = 2 ** 20;
    const y = a.aggregate([[-4 * t, t, t], [6 * t, t, t]]).info.diagnostics;
    expect(y.cosines).toEqual(x.cosines);
    expect(y.energyRatio).toBe(x.energyRatio);
    expect(y.lambda).toBe(x.lambda);
    expect(y.branch).toBe(x.branch);
    expect(y.dualValue).toBe(x.dualValue! * t * t);
    expect(y.dualWeights).toEqual(x.dualWeights);
  });
});

describe('ConflictTracker', () => {
  it('accumulates conflict fractions, mean cosines, energy-ratio quantiles and branch counts', () => {
    const agg = createAggregator('came-grad', { weights: [1, 1] });
    const t = new ConflictTracker();
    const steps = [[[1, 0], [-1, 1]], [[1, 0], [1, 1]], [[1, 0], [0, 1]], [[0, 0], [1, 0]]];
    for (const rows of steps) t.record(agg.aggregate(rows).info.diagnostics);
    const s = t.summary();
    expect(s.steps).toBe(4);
    expect(s.pairs).toHaveLength(1);
    expect(s.pairs[0]!.negativeSteps).toBe(1);
    expect(s.pairs[0]!.observedSteps).toBe(3);
    expect(s.pairs[0]!.negativeFraction).toBeCloseTo(1 / 3, 15);
    expect(s.pairs[0]!.meanCosine).toBeCloseTo((-Math.SQRT1_2 + Math.SQRT1_2 + 0) / 3, 15);
    // Energy ratios: (1+2−2)/3, (1+2+2)/3, 1, 1 → sorted 1/3, 1, 1, 5/3.
    expect(s.energyRatio!.count).toBe(4);
    expect(s.energyRatio!.mean).toBeCloseTo((1 / 3 + 5 / 3 + 2) / 4, 14);
    expect(s.energyRatio!.quantiles.p50).toBeCloseTo(1, 14);
    expect(s.energyRatio!.quantiles.p05).toBeCloseTo(1 / 3 + 0.15 * (2 / 3), 14);
    expect(s.branchCounts.regular + s.branchCounts.projection + s.branchCounts.mean).toBe(4);
    const copy = new ConflictTracker();
    copy.setState(JSON.parse(JSON.stringify(t.getState())));
    expect(copy.summary()).toEqual(s);
    t.reset();
    expect(t.summary().steps).toBe(0);
  });

  it('rejects a change of K', () => {
    const t = new ConflictTracker();
    t.record(createAggregator('mgda').aggregate([[1], [2]]).info.diagnostics);
    expect(() => t.record(createAggregator('mgda').aggregate([[1], [2], [3]]).info.diagnostics)).toThrow(ContractError);
  });
});
