import { describe, expect, it } from 'vitest';
import { UnknownIdError } from '../errors';
import { gramian } from '../gram/gramian';
import { randomNonStationary } from '../testing/random-matrix';
import { AGGREGATOR_IDS, METHODS, createAggregator, createWeighting, getMethod } from './registry';

const ROWS = randomNonStationary(2026, 3, 7);
const GRAM = gramian(ROWS);

describe('registry', () => {
  it('lists every method once, with a paper, declared properties and frozen defaults', () => {
    expect(new Set(AGGREGATOR_IDS).size).toBe(AGGREGATOR_IDS.length);
    for (const id of ['came-grad', 'linear', 'cagrad', 'mgda']) expect(AGGREGATOR_IDS).toContain(id);
    for (const m of METHODS) {
      expect(m.paper.length).toBeGreaterThan(5);
      expect(m.stateful).toBe(false);
      expect(Object.isFrozen(m.defaults)).toBe(true);
      for (const key of ['permutationEquivariant', 'scaleEquivariant', 'nonConflicting', 'linearUnderScaling', 'stronglyStationary']) {
        expect(m.properties).toHaveProperty(key);
      }
    }
  });

  it.each(AGGREGATOR_IDS.map((id) => [id]))('%s: defaults give finite K weights and a D-vector; id is a fixed string', (id) => {
    const agg = createAggregator(id);
    const out = agg.aggregate(ROWS);
    expect(agg.id).toBe(id);
    expect(out.weights).toHaveLength(3);
    expect(out.direction).toHaveLength(7);
    expect([...out.weights, ...out.direction].every(Number.isFinite)).toBe(true);
    expect(out.info.diagnostics.weights).toEqual(out.weights);
    expect(agg.toString().startsWith(id)).toBe(true);
  });

  it.each(AGGREGATOR_IDS.map((id) => [id]))('%s: toConfig() round-trips through createWeighting and JSON', (id) => {
    const w = createWeighting(id);
    const config = JSON.parse(JSON.stringify(w.toConfig())) as { id: string; options: Record<string, unknown> };
    expect(config.id).toBe(id);
    const again = createWeighting(config.id, config.options);
    expect(again.toConfig()).toEqual(w.toConfig());
    expect(Array.from(again.weigh(GRAM).weights)).toEqual(Array.from(w.weigh(GRAM).weights));
  });

  it.each(AGGREGATOR_IDS.map((id) => [id]))('%s: the Gram entry gives the same weights as aggregate', (id) => {
    const agg = createAggregator(id);
    const nested = Array.from({ length: 3 }, (_, i) => Array.from(GRAM.data.subarray(3 * i, 3 * i + 3)));
    expect(Array.from(agg.weights(nested).weights)).toEqual(Array.from(agg.aggregate(ROWS).weights));
  });

  it('rejects unknown ids and unknown option keys', () => {
    expect(() => createAggregator('cagrd' as 'cagrad')).toThrow(UnknownIdError);
    expect(() => createAggregator('cagrd' as 'cagrad')).toThrow(/`id` should be one of came-grad, linear, cagrad, mgda/);
    expect(() => getMethod('nope')).toThrow(UnknownIdError);
    expect(() => createWeighting('mgda', { normalise: 'l2' } as never)).toThrow(/`mgda.normalise`/);
  });

  it('keeps the pinned public example working', () => {
    const agg = createAggregator('came-grad', { rho: 0.5, kappa: 1.5, nu: 0.2, weights: [1, 4] });
    const { direction, weights, info } = agg.aggregate([Float32Array.of(-4, 1, 1), new Float64Array([6, 1, 1])]);
    expect(direction).toBeInstanceOf(Float64Array);
    expect(weights).toBeInstanceOf(Float64Array);
    expect(weights[0]).toBeCloseTo(10.765101, 6);
    expect(info.diagnostics.branch).toBe('regular');
    expect(agg.toConfig()).toEqual({
      id: 'came-grad',
      options: { rho: 0.5, kappa: 1.5, nu: 0.2, epsRel: 0, zeroTol: 1e-7, stages: { rectify: true, energize: true, fuse: true }, weights: [1, 4] },
    });
  });
});
