import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnnotationError, DatasetError, DatasetOptionError, ImageError } from '../src/errors.js';
import { loadR2GenDataset } from '../src/load-r2gen-dataset.js';
import type { SkippedEntry } from '../src/annotation/study-record.js';
import { constantPng, writeAnnotation, writeImages } from './tiny-images.js';

let root: string;
const imageDir = (): string => join(root, 'images');
const entry = (id: string, split: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  report: 'The heart is normal in size. No pleural effusion.',
  image_path: [`${id}/0.png`, `${id}/1.png`],
  split,
  ...extra,
});
const good = { train: [entry('a', 'train'), entry('b', 'train')], val: [entry('c', 'val')], test: [entry('d', 'test')] };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'malformed-'));
  await writeImages(imageDir(), ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((id) => [`${id}/0.png`, `${id}/1.png`]), () => constantPng(90, 34, 34));
  await writeFile(join(imageDir(), 'f', '1.png'), Buffer.from('not an image at all'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function load(ann: unknown, extra: Record<string, unknown> = {}) {
  const annotationPath = await writeAnnotation(root, ann, `ann-${Math.random().toString(36).slice(2)}.json`);
  const ds = await loadR2GenDataset({ annotationPath, imageDir: imageDir(), kind: 'iu_xray', imageSize: 32, labels: false, ...extra });
  return { ds, annotationPath };
}

async function failure(ann: unknown, extra: Record<string, unknown> = {}): Promise<DatasetError> {
  try {
    await load(ann, extra);
  } catch (e) {
    if (DatasetError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

describe('malformed annotations', () => {
  it('names the file for unreadable or non-JSON annotations', async () => {
    const e = await failure('{"train": [');
    expect(e).toBeInstanceOf(AnnotationError);
    expect(e.message).toMatch(/ann-.*\.json/);
    expect(e.message).toMatch(/should be valid JSON/);
    await expect(loadR2GenDataset({ annotationPath: join(root, 'nope.json'), imageDir: imageDir(), kind: 'iu_xray' })).rejects.toThrow(/should be a readable file/);
  });

  it('requires the three splits', async () => {
    const e = (await failure({ train: [], val: [] })) as AnnotationError;
    expect(e.field).toBe('test');
    expect(e.message).toMatch(/`test` .* should be an array of entries\. Found undefined/);
  });

  it.each([
    ['report', entry('b', 'train', { report: 42 }), 'b', /`report` \(in .*, entry b\) should be a string\. Found number 42/],
    ['image_path', entry('b', 'train', { image_path: 'b/0.png' }), 'b', /`image_path` .* should be a non-empty array/],
    ['split', entry('b', 'train', { split: 'val' }), 'b', /`split` .* should be "train" \(the list it is in\)/],
    ['id', { report: 'x', image_path: ['a/0.png', 'a/1.png'] }, 'train[1]', /`id` \(in .*, entry train\[1\]\) should be a string/],
    ['id', entry('a', 'train'), 'a', /should be unique across the splits/],
  ])('names the entry and field %s', async (field, bad, entryId, message) => {
    const e = (await failure({ ...good, train: [entry('a', 'train'), bad] })) as AnnotationError;
    expect(e).toBeInstanceOf(AnnotationError);
    expect([e.field, e.entryId]).toEqual([field, entryId]);
    expect(e.message).toMatch(message);
  });

  it('needs as many images as the dataset has views', async () => {
    const e = (await failure({ ...good, val: [entry('c', 'val', { image_path: ['c/0.png'] })] })) as AnnotationError;
    expect(e.message).toMatch(/`image_path` .*entry c.* should be at least 2 image path\(s\) \(iu_xray uses 2 view\(s\)\)\. Found 1/);
    const mimic = await load({ ...good, val: [entry('c', 'val', { image_path: ['c/0.png'] })] }, { kind: 'mimic_cxr', priors: false });
    expect(mimic.ds.sizes.val).toBe(1);
  });
});

describe('bad images', () => {
  it('reports a missing image with entry and field', async () => {
    const e = (await failure({ ...good, test: [entry('zz', 'test')] })) as ImageError;
    expect(e).toBeInstanceOf(ImageError);
    expect([e.entryId, e.field]).toEqual(['zz', 'image_path[0]']);
    expect(e.message).toMatch(/no file at .*zz\/0\.png/);
  });

  it('finds undecodable images at load time with checkImages "decode", else when the batch is built', async () => {
    const ann = { ...good, test: [entry('f', 'test')] };
    const e = (await failure(ann, { checkImages: 'decode' })) as ImageError;
    expect([e.entryId, e.field]).toEqual(['f', 'image_path[1]']);
    expect(e.message).toMatch(/fails to decode/);
    const { ds } = await load(ann);
    const it0 = ds.batches({ split: 'test', batchSize: 1 });
    await expect(it0.next()).rejects.toThrow(ImageError);
  });

  it('skips and records bad entries with skipBad, keeping the good ones', async () => {
    const seen: SkippedEntry[] = [];
    const ann = {
      train: [entry('a', 'train'), entry('b', 'train', { report: null }), entry('zz', 'train')],
      val: [entry('c', 'val'), 7],
      test: [entry('d', 'test'), entry('f', 'test'), entry('e', 'test', { image_path: ['e/0.png'] })],
    };
    const { ds } = await load(ann, { skipBad: true, checkImages: 'decode', onSkip: (s: SkippedEntry) => seen.push(s) });
    expect(ds.sizes).toEqual({ train: 1, val: 1, test: 1 });
    expect(ds.skipped.map((s) => [s.entryId, s.field])).toEqual([
      ['b', 'report'],
      ['val[1]', ''],
      ['e', 'image_path'],
      ['zz', 'image_path[0]'],
      ['f', 'image_path[1]'],
    ]);
    expect(seen).toEqual(ds.skipped);
  });
});

describe('images and options', () => {
  it('decodes JPEG and 16-bit PNG as well as 8-bit PNG', async () => {
    const jpeg = await sharp({ create: { width: 50, height: 40, channels: 3, background: { r: 128, g: 128, b: 128 } } }).jpeg().toBuffer();
    const png16 = await sharp({ create: { width: 40, height: 50, channels: 3, background: { r: 60, g: 60, b: 60 } } }).toColourspace('grey16').png().toBuffer();
    await writeImages(join(root, 'mixed'), ['j/0.jpg', 'j/1.png'], (p) => (p.endsWith('.jpg') ? jpeg : png16));
    const annotationPath = await writeAnnotation(root, { train: [], val: [], test: [{ id: 'j', report: 'No acute disease.', image_path: ['j/0.jpg', 'j/1.png'] }] }, 'mixed.json');
    const ds = await loadR2GenDataset({ annotationPath, imageDir: join(root, 'mixed'), kind: 'iu_xray', imageSize: 32, labels: false, checkImages: 'decode' });
    const r = await ds.batches({ split: 'test', batchSize: 1 }).next();
    if (r.done === true) throw new Error('no batch');
    const img = r.value.batch.images.data;
    expect(Math.abs((img[0] as number) - (128 / 255 - 0.485) / 0.229)).toBeLessThan(0.03);
    expect(Math.abs((img[32 * 32 * 3] as number) - (60 / 255 - 0.485) / 0.229)).toBeLessThan(0.03);
  });

  it('rejects out-of-range options by name', async () => {
    await expect(load(good, { imageSize: 16 })).rejects.toThrow(DatasetOptionError);
    await expect(load(good, { imageSize: 16 })).rejects.toThrow(/`imageSize` should be an integer in \[32, 224\]\. Found number 16/);
    await expect(load(good, { kind: 'chexpert' })).rejects.toThrow(/`kind`/);
    await expect(load(good, { channels: 2 })).rejects.toThrow(/`channels` should be 1 or 3/);
  });
});
