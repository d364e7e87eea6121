import { describe, expect, it } from 'vitest';
import { SCALARIZER_IDS, createScalarizer, scalarizerFromConfig } from './scalarizer-registry';

describe('scalarizer registry', () => {
  it.each(SCALARIZER_IDS)('%s: builds with defaults and round-trips its config', (id) => {
    const s = createScalarizer(id);
    expect(s.id).toBe(id);
    const again = scalarizerFromConfig(JSON.parse(JSON.stringify(s.toConfig())));
    expect(again.toConfig()).toEqual(s.toConfig());
    expect(again.toString()).toBe(s.toString());
    again.init(3, 1);
    const w = again.lossWeights([1, 2, 3]).weights;
    expect(w).toHaveLength(3);
    for (const x of w) expect(Number.isFinite(x) && x > 0).toBe(true);
  });

  it('rejects unknown ids', () => {
    expect(() => createScalarizer('imtl-l')).toThrow(/`scalarizer id` should be one of uw, dwa, gradnorm, famo, rlw/);
  });
});
