import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OBSERVATION_KEYS } from '@came-grad/metrics';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetOptionError } from '../errors.js';
import { generateSynthCxr } from './generate-synth-cxr.js';
import type { SynthCxrEntry } from './generate-synth-cxr.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'synth-cxr-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const p = join(e.parentPath, e.name);
      out.set(p.slice(dir.length), await readFile(p));
    }
  }
  return out;
}

describe('generateSynthCxr', () => {
  it('writes the R2Gen layout with labels, subjects and priors', async () => {
    const dir = join(root, 'a');
    const res = await generateSynthCxr({ outDir: dir, studies: 30, seed: 3, imageSize: 32, priorShare: 0.5 });
    const ann = JSON.parse(await readFile(res.annotationPath, 'utf8')) as Record<'train' | 'val' | 'test', SynthCxrEntry[]>;
    expect(Object.keys(ann)).toEqual(['train', 'val', 'test']);
    const all = [...ann.train, ...ann.val, ...ann.test];
    expect(all).toHaveLength(30);
    expect(res.counts.train + res.counts.val + res.counts.test).toBe(30);
    expect(res.withPrior).toBeGreaterThan(3);
    const byId = new Map(all.map((e) => [e.id, e]));
    for (const split of ['train', 'val', 'test'] as const) {
      for (const e of ann[split]) {
        expect(e.split).toBe(split);
        expect(e.image_path).toEqual([`${e.id}/0.png`, `${e.id}/1.png`]);
        expect(Object.keys(e.labels)).toEqual([...OBSERVATION_KEYS]);
        for (const v of Object.values(e.labels)) expect([1, 0, -1, null]).toContain(v);
        expect(e.report.length).toBeGreaterThan(20);
        if (e.prior !== undefined) {
          const p = byId.get(e.prior);
          expect(p?.subject_id).toBe(e.subject_id);
          expect(p?.split).toBe(split);
          expect((p?.study_date ?? '') < e.study_date).toBe(true);
        }
      }
    }
    const first = all[0] as SynthCxrEntry;
    for (const view of first.image_path) {
      const meta = await sharp(join(res.imageDir, view)).metadata();
      expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 32, 32, 1]);
    }
  });

  it('is deterministic per seed, byte for byte, and reports do not depend on the image size', async () => {
    await generateSynthCxr({ outDir: join(root, 'b1'), studies: 12, seed: 8, imageSize: 32 });
    await generateSynthCxr({ outDir: join(root, 'b2'), studies: 12, seed: 8, imageSize: 32 });
    await generateSynthCxr({ outDir: join(root, 'b3'), studies: 12, seed: 9, imageSize: 32 });
    await generateSynthCxr({ outDir: join(root, 'b4'), studies: 12, seed: 8, imageSize: 48 });
    const [f1, f2, f3] = await Promise.all([filesOf(join(root, 'b1')), filesOf(join(root, 'b2')), filesOf(join(root, 'b3'))]);
    expect([...f1.keys()].sort()).toEqual([...f2.keys()].sort());
    for (const [k, v] of f1) expect(v.equals(f2.get(k) as Buffer)).toBe(true);
    expect((f1.get('/annotation.json') as Buffer).equals(f3.get('/annotation.json') as Buffer)).toBe(false);
    const a48 = await readFile(join(root, 'b4', 'annotation.json'));
    expect(a48.equals(f1.get('/annotation.json') as Buffer)).toBe(true);
  });

  it('rejects bad options, naming them', async () => {
    await expect(generateSynthCxr({ outDir: join(root, 'c'), studies: 0, seed: 1 })).rejects.toThrow(DatasetOptionError);
    await expect(generateSynthCxr({ outDir: join(root, 'c'), studies: 2, seed: 1, imageSize: 8 })).rejects.toThrow(/`imageSize` should be an integer in \[16, 1024\]/);
    await expect(generateSynthCxr({ outDir: join(root, 'c'), studies: 2, seed: 1.5 })).rejects.toThrow(/`seed`/);
  });
});
