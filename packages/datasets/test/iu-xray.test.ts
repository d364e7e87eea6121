import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OBSERVATIONS, labelReports } from '@came-grad/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadR2GenDataset } from '../src/load-r2gen-dataset.js';
import type { R2GenDataset } from '../src/load-r2gen-dataset.js';
import { constantPng, writeImages } from './tiny-images.js';

// The IU X-Ray annotation is read in place (its licence forbids copies); images are synthetic.
// The repository's sibling folder `shared/` (as laid out for developers and CI), or IU_XRAY_ANNOTATION.
const IU = process.env.IU_XRAY_ANNOTATION ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'iu_xray', 'annotation.json');
const present = existsSync(IU);

describe.skipIf(!present)(`IU X-Ray annotation at ${IU} (skipped when absent)`, () => {
  let root: string;
  let ds: R2GenDataset;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'iu-'));
    const ann = JSON.parse(await readFile(IU, 'utf8')) as Record<string, { image_path: string[] }[]>;
    const paths = Object.values(ann).flatMap((list) => list.flatMap((e) => e.image_path));
    const frontal = constantPng(100, 40, 36);
    const lateral = constantPng(200, 36, 40);
    await writeImages(join(root, 'images'), paths, (_p, view) => (view === 0 ? frontal : lateral));
    ds = await loadR2GenDataset({ annotationPath: IU, imageDir: join(root, 'images'), kind: 'iu_xray', imageSize: 32, labelCacheDir: join(root, 'cache') });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('loads the R2Gen splits with R2Gen defaults and the spec anchor vocabulary', () => {
    expect(ds.sizes).toEqual({ train: 2069, val: 296, test: 590 });
    expect([ds.views, ds.threshold, ds.maxSeqLength]).toEqual([2, 3, 60]);
    expect(ds.tokenizer.size).toBe(760);
    const long = (split: 'train' | 'val' | 'test'): number => ds.records(split).filter((r) => ds.tokenizer.encode(r.report).length - 2 > 59).length;
    expect([long('train'), long('val'), long('test')]).toEqual([162, 24, 29]);
    expect(ds.skipped).toEqual([]);
  });

  it('labels every report with the project labeler, in CheXpert column order', () => {
    const test = ds.records('test');
    const codes = ds.labels('test') as Int8Array;
    expect(codes.length).toBe(590 * 14);
    const expected = labelReports(test.slice(0, 40).map((r) => r.report));
    expected.forEach((row, i) => {
      OBSERVATIONS.forEach((o, c) => expect(codes[i * 14 + c]).toBe(row[o] ?? -2));
    });
    // "Normal cardiomediastinal silhouette. There is no focal consolidation. … no pneumothorax …"
    const first = Array.from(codes.subarray(0, 14));
    expect(first[0]).toBe(1);
    expect(first[OBSERVATIONS.indexOf('Consolidation')]).toBe(0);
    expect(first[OBSERVATIONS.indexOf('Pneumothorax')]).toBe(0);
  });

  it('serves the test split in order, unaugmented, with R2Gen ids and masks', async () => {
    const it0 = ds.batches({ split: 'test', batchSize: 4 });
    const first = await it0.next();
    await it0.return?.();
    if (first.done === true) throw new Error('no batch');
    const { batch, cursor } = first.value;
    expect(batch.ids).toEqual(ds.records('test').slice(0, 4).map((r) => r.id));
    expect(batch.images.shape).toEqual([4, 2, 32, 32, 3]);
    expect(batch.reportIds.shape).toEqual([4, 60]);
    expect(cursor).toEqual({ epoch: 0, position: 4 });
    const enc = ds.tokenizer.encode(batch.reports[0] as string, 60);
    expect(Array.from(batch.reportIds.data.subarray(0, 60))).toEqual([...enc, ...new Array<number>(60 - enc.length).fill(0)]);
    expect(batch.reportMask.data.subarray(0, 60).reduce((a, b) => a + b, 0)).toBe(enc.length);
    // Constant images normalise to exactly (v/255 − mean)/std per channel.
    const f32 = (x: number): number => Math.fround(x);
    const img = batch.images.data;
    expect(img[0]).toBeCloseTo(f32((100 / 255 - 0.485) / 0.229), 5);
    expect(img[2]).toBeCloseTo(f32((100 / 255 - 0.406) / 0.225), 5);
    expect(img[32 * 32 * 3]).toBeCloseTo(f32((200 / 255 - 0.485) / 0.229), 5);
    expect(batch.aux.labels14?.shape).toEqual([4, 14]);
    expect(batch.aux.priorImage).toBeUndefined();
  });

  it('reuses the on-disk label cache on a second load, keyed by report text', async () => {
    const again = await loadR2GenDataset({ annotationPath: IU, imageDir: join(root, 'images'), kind: 'iu_xray', imageSize: 32, labelCacheDir: join(root, 'cache'), checkImages: 'none' });
    expect(again.labelStats).toEqual({ reports: 2955, fromCache: 2955, labelled: 0 });
    expect(Array.from(again.labels('val') as Int8Array)).toEqual(Array.from(ds.labels('val') as Int8Array));
    const files = await readdir(join(root, 'cache'));
    expect(files).toEqual(['chexpert-labels.chexpert-style-v1.json']);
  });
});
