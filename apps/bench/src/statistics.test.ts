import { describe, expect, it } from 'vitest';
import { createRng, meanCi, pairedBootstrap, quantileSorted, tQuantile975 } from './statistics';

describe('statistics', () => {
  it('mean ± 95% t-interval matches hand computation', () => {
    // values 1..4: mean 2.5, s² = 5/3, half-width = 3.182 · sqrt(5/3) / 2.
    const ci = meanCi([1, 2, 3, 4]);
    expect(ci.n).toBe(4);
    expect(ci.mean).toBe(2.5);
    expect(ci.halfWidth).toBeCloseTo((3.182 * Math.sqrt(5 / 3)) / 2, 12);
    expect(ci.halfWidth).toBeCloseTo(2.053972, 6);
    // three seeds 0.1, 0.2, 0.3: s = 0.1, half-width = 4.303 · 0.1 / √3.
    expect(meanCi([0.1, 0.2, 0.3]).halfWidth).toBeCloseTo(0.248434, 6);
  });

  it('has no interval for one seed and rejects an empty sample', () => {
    expect(meanCi([0.42])).toEqual({ n: 1, mean: 0.42, halfWidth: null });
    expect(() => meanCi([])).toThrow(/`values` should hold at least one number/);
  });

  it('t quantiles: table values and the coarse tail', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(45)).toBe(2.0);
    expect(tQuantile975(1000)).toBe(1.96);
    expect(() => tQuantile975(0)).toThrow(/`df` should be an integer ≥ 1/);
  });

  it('type-7 quantiles interpolate between order statistics', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([0, 10], 0.025)).toBeCloseTo(0.25, 12);
    expect(quantileSorted([5], 0.975)).toBe(5);
  });

  it('the seeded generator is reproducible, seed-dependent and uniform on [0, 1)', () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 20000 }, () => a());
    expect(Array.from({ length: 20000 }, () => b())).toEqual(xs);
    expect(createRng(8)()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 2);
  });

  it('paired bootstrap equals an independent replay of the same resamples', () => {
    // Per-study differences; the metric is their mean, so each resample's value is checkable by hand.
    const diffs = [0, 1, 0, 0, 1, -1, 1, 0];
    const metric = (idx: readonly number[]): number => idx.reduce((s, i) => s + (diffs[i] as number), 0) / idx.length;
    const result = pairedBootstrap(diffs.length, metric, { resamples: 500, seed: 11 });
    expect(result.delta).toBe(0.25);
    const rng = createRng(11);
    const replay: number[] = [];
    for (let b = 0; b < 500; b++) replay.push(metric(Array.from({ length: diffs.length }, () => Math.floor(rng() * diffs.length))));
    replay.sort((x, y) => x - y);
    expect(result.ciLow).toBe(quantileSorted(replay, 0.025));
    expect(result.ciHigh).toBe(quantileSorted(replay, 0.975));
    expect(result.shareNotPositive).toBe(replay.filter((d) => d <= 0).length / 500);
    // Each resample mean is a multiple of 1/8 within [-1, 1]; the interval brackets the estimate.
    expect(result.ciLow * 8).toBeCloseTo(Math.round(result.ciLow * 8), 9);
    expect(result.ciLow).toBeLessThan(0.25);
    expect(result.ciHigh).toBeGreaterThan(0.25);
    expect(pairedBootstrap(diffs.length, metric, { resamples: 500, seed: 11 })).toEqual(result);
  });

  it('a constant difference gives a zero-width interval', () => {
    const result = pairedBootstrap(5, () => 0.03, { resamples: 50, seed: 1 });
    expect([result.delta, result.ciLow, result.ciHigh, result.shareNotPositive]).toEqual([0.03, 0.03, 0.03, 0]);
  });
});
