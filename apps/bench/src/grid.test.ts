import { describe, expect, it } from 'vitest';
import { TRAIN_OPTIMIZER_IDS } from '@came-grad/cli';
import { OPTIMIZER_COMPARISON, experimentCells } from './experiments';
import { canonicalJson, expandGrid, fnv1a, parseShard, shardRuns } from './grid';

const base = {
  dataset: 'synth-cxr', data: 'synth-cxr:x', size: 'tiny', steps: 3, batchSize: 4, lr: 1e-3, valStudies: 4, beamSize: 1, testStudies: 4,
} as const;
const pick = { optimizers: 'revtaf', ablation: ['promptmrg', 'ddatr'], sensitivity: 'revtaf', cost: 'r2gen', costSteps: 2 };
const availability = { backbones: ['r2gen', 'wcl'], optimizers: ['linear', 'came-grad', 'pcgrad'] };

describe('grid', () => {
  it('canonical JSON ignores key order and FNV-1a matches the published test vectors', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":0}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(fnv1a('')).toBe('811c9dc5');
    expect(fnv1a('a')).toBe('e40c292c');
    expect(fnv1a('foobar')).toBe('bf9cf968');
  });

  it('expands backbones × methods × seeds, shares runs between experiments, and marks what cannot run', () => {
    const experiments = ['main', 'dynamics'].map((name) => ({ name, cells: experimentCells(name, ['r2gen', 'wcl', 'revtaf'], [], pick) }));
    const grid = expandGrid(experiments, base, [0, 1], availability);
    expect(grid).toHaveLength(3 * 2 * 2);
    expect(grid.every((g) => g.experiments.join() === 'dynamics,main')).toBe(true);
    expect(grid.filter((g) => g.unavailable !== null).map((g) => g.config.backbone)).toEqual(['revtaf', 'revtaf', 'revtaf', 'revtaf']);
    expect(grid.find((g) => g.config.backbone === 'revtaf')?.unavailable).toMatch(/revtaf is not registered/);
    expect(grid.map((g) => g.id)).toEqual([...grid.map((g) => g.id)].sort());
    expect(new Set(grid.map((g) => g.id)).size).toBe(grid.length);
    // Same inputs, same ids: a re-run finds its completed runs.
    expect(expandGrid(experiments, base, [0, 1], availability).map((g) => g.id)).toEqual(grid.map((g) => g.id));
    expect(grid[0]?.id).toMatch(/^r2gen-came-grad-s0-[0-9a-f]{8}$/);
  });

  it('a changed backbone default changes that backbone\'s run ids and no other', () => {
    const experiments = [{ name: 'main', cells: experimentCells('main', ['r2gen', 'wcl'], [], pick) }];
    const ids = (wclDefaults: object) => expandGrid(experiments, base, [0], { ...availability, backboneDefaults: { r2gen: { clsHead: true }, wcl: wclDefaults } }).map((g) => g.id);
    const before = ids({ clsHead: false, clusters: 14 });
    const after = ids({ clusters: 14, clsHead: true });
    expect(ids({ clusters: 14, clsHead: false })).toEqual(before);
    expect(after.filter((id) => id.startsWith('r2gen'))).toEqual(before.filter((id) => id.startsWith('r2gen')));
    const wclBefore = before.filter((id) => id.startsWith('wcl'));
    expect(wclBefore).toHaveLength(2);
    for (const id of after.filter((i) => i.startsWith('wcl'))) expect(wclBefore).not.toContain(id);
  });

  it('a profile without linear dynamics gives the main table one-backward linear runs; the dynamics experiment keeps them', () => {
    const lean = { ...pick, linearDynamics: false };
    const main = expandGrid([{ name: 'main', cells: experimentCells('main', ['r2gen'], [], lean) }], base, [0], availability);
    expect(main.map((g) => [g.variant, g.config.diagnostics])).toEqual([['came-grad', true], ['linear', false]]);
    const both = expandGrid(['main', 'dynamics'].map((name) => ({ name, cells: experimentCells(name, ['r2gen'], [], lean) })), base, [0], availability);
    // The dynamics experiment's linear run logs gradients, so it is a separate run from the main table's.
    expect(both.map((g) => `${g.variant}:${g.config.diagnostics}:${g.experiments.join('+')}`).sort()).toEqual(['came-grad:true:dynamics+main', 'linear:false:main', 'linear:true:dynamics']);
  });

  it('the optimizers experiment: all 14 comparators train through the cli; an optimizer it lacks is marked', () => {
    const cells = [{ name: 'optimizers', cells: experimentCells('optimizers', [], [], pick) }];
    const grid = expandGrid(cells, base, [0], { backbones: ['revtaf'], optimizers: TRAIN_OPTIMIZER_IDS });
    expect(grid).toHaveLength(14);
    expect(grid.filter((g) => g.unavailable !== null)).toEqual([]);
    expect(grid.map((g) => g.variant).sort()).toEqual([...OPTIMIZER_COMPARISON].sort());
    expect(OPTIMIZER_COMPARISON.filter((o) => !TRAIN_OPTIMIZER_IDS.includes(o))).toEqual([]);
    const partial = expandGrid(cells, base, [0], { backbones: ['revtaf'], optimizers: ['linear', 'came-grad'] });
    expect(partial.find((g) => g.variant === 'uw')?.unavailable).toMatch(/optimizer uw is not supported by `came-grad train`/);
  });

  it('ablation and sensitivity cells carry the stage switches and swept values', () => {
    const ablation = experimentCells('ablation', [], [], pick);
    expect(ablation.filter((c) => c.backbone === 'ddatr').map((c) => c.variant)).toEqual(['linear', 'came-grad', 'no-s1', 'no-s2', 'no-s3', 'shared-only', 'representation']);
    expect(ablation.find((c) => c.variant === 'no-s2')?.optimizerOptions).toEqual({ stages: { energize: false } });
    expect(ablation.find((c) => c.variant === 'representation')?.gradientMode).toBe('representation');
    const nu = experimentCells('sensitivity', [], [], pick).filter((c) => c.variant.startsWith('nu=')).map((c) => c.optimizerOptions?.['nu']);
    expect(nu).toEqual([0, 0.1, 0.2, 0.3, 0.5, 0.8]);
    expect(() => experimentCells('nope', [], [], pick)).toThrow(/`--experiment` should be one of main, optimizers/);
  });

  it('shards partition the grid: disjoint, complete, balanced, independent of input order', () => {
    const grid = expandGrid([{ name: 'main', cells: experimentCells('main', ['r2gen', 'wcl', 'a', 'b', 'c'], [], pick) }], base, [0, 1, 2], availability);
    const shards = [1, 2, 3, 4].map((index) => shardRuns(grid, { index, count: 4 }));
    const ids = shards.flat().map((g) => g.id).sort();
    expect(ids).toEqual(grid.map((g) => g.id).sort());
    expect(new Set(ids).size).toBe(grid.length);
    expect(shards.map((s) => s.length)).toEqual([8, 8, 7, 7]);
    expect(shardRuns([...grid].reverse(), { index: 2, count: 4 })).toEqual(shards[1]);
  });

  it('parses i/n shards and names the option when the text is wrong', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/`--shard` should be i\/n/);
  });
});
