import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKBONE_DEFAULTS, BACKBONE_IDS, createBackbone, createBackboneRegistry } from './registry';
import { r2genTinyConfig } from './r2gen/tiny-config';
import { describeBackboneContract, studiesOf } from './testing/contract-suite';
import { syntheticBatch } from './testing/synthetic-batch';
import { createExampleBackbone } from './testing/example-backbone';

const VOCAB = ['.', '<unk>', 'a', 'b', 'c'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The example adapter of CONTRIBUTING.md, registered next to the built-ins and run through the suite.
const registry = createBackboneRegistry({ example: createExampleBackbone });
describeBackboneContract((config) => registry.create('example', config ?? { vocab: VOCAB, seed: 3 }), { name: 'example adapter via the registry' });

describe('registry', () => {
  it('lists unique lower-kebab ids, r2gen first, and rebuilds r2gen from its JSON config', () => {
    expect(BACKBONE_IDS[0]).toBe('r2gen');
    expect(new Set(BACKBONE_IDS).size).toBe(BACKBONE_IDS.length);
    for (const id of BACKBONE_IDS) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const adapter = createBackbone('r2gen', r2genTinyConfig(VOCAB));
    const again = createBackbone('r2gen', JSON.parse(JSON.stringify(adapter.getConfig())) as object);
    expect(again.getConfig()).toEqual(adapter.getConfig());
    adapter.dispose();
    again.dispose();
  });

  it('lists the defaults each factory fills in, for every built-in id', () => {
    expect(Object.keys(BACKBONE_DEFAULTS)).toEqual([...BACKBONE_IDS]);
    for (const id of BACKBONE_IDS) {
      const adapter = createBackbone(id, { vocab: VOCAB });
      try {
        expect({ ...adapter.getConfig(), vocab: undefined }, id).toEqual({ ...BACKBONE_DEFAULTS[id], vocab: undefined });
      } finally {
        adapter.dispose();
      }
    }
  });

  it('names the known ids for an unknown id, and keeps extra registries apart', () => {
    expect(() => createBackbone('nope', {})).toThrow(`\`backbone\` should be one of ${BACKBONE_IDS.join(', ')}. Found "nope".`);
    expect(registry.ids).toEqual([...BACKBONE_IDS, 'example']);
    expect(() => createBackbone('example', {})).toThrow(/`backbone` should be one of/);
    expect(() => createBackboneRegistry({ r2gen: createExampleBackbone })).toThrow(/`extra.r2gen` should be an id other than the built-in ones/);
    expect(() => createBackboneRegistry({ Bad_Id: createExampleBackbone })).toThrow(/lower-kebab-case/);
  });

  it('ramps the example cls weight with weightAt and keeps its EMA copy frozen (non-trainable)', () => {
    const adapter = registry.create('example', { vocab: VOCAB });
    const cls = adapter.tasks[1];
    expect([cls?.weightAt?.(0, 0), cls?.weightAt?.(4, 0), cls?.weightAt?.(100, 0)]).toEqual([0.05, 0.25, 0.5]);
    const ema = adapter.frozenParameters?.[0];
    expect(ema?.trainable).toBe(false);
    adapter.dispose();
  });

  it('gives the suite\'s corpus: studies with decoded reports and their label codes', () => {
    const adapter = registry.create('example', { vocab: VOCAB });
    const plain = syntheticBatch(adapter, 2, 4);
    const codes = Int8Array.from({ length: 28 }, (_, i) => (i % 4) - 2);
    const studies = studiesOf(adapter, { ...plain, aux: { labels14: { data: codes, shape: [2, 14] } } });
    expect(studies.map((s) => s.id)).toEqual(['study-0', 'study-1']);
    const t = plain.reportIds?.shape[1] ?? 0;
    expect(studies[1]?.report).toBe(adapter.tokenizer.decode(Array.from(plain.reportIds?.data.subarray(t + 1, 2 * t) ?? [])));
    expect(studies[1]?.report.split(' ').length).toBeGreaterThan(0);
    expect(Array.from(studies[1]?.labels14 ?? [])).toEqual(Array.from(codes.slice(14)));
    adapter.dispose();
  });
});
