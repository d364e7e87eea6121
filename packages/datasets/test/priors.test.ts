import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnnotationError } from '../src/errors.js';
import { loadR2GenDataset } from '../src/load-r2gen-dataset.js';
import { constantPng, writeAnnotation, writeImages } from './tiny-images.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'priors-'));
  await writeImages(join(root, 'img'), ['m1.jpg', 'm2.jpg', 'm3.jpg', 'm4.jpg', 'm5.jpg', 'm6.jpg', 'ctx.jpg'], () => constantPng(120, 32, 32));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const mimic = (id: string, subject: number, date: string | undefined, time?: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  study_id: 50_000_000 + Number(id.slice(1)),
  subject_id: subject,
  report: `Findings for ${id}. No pneumothorax.`,
  image_path: [`${id}.jpg`],
  split: 'train',
  ...(date === undefined ? {} : { StudyDate: date }),
  ...(time === undefined ? {} : { StudyTime: time }),
  ...extra,
});

describe('prior-study linking', () => {
  it('links MIMIC-CXR studies to the latest earlier study of the same subject, never to a sibling image', async () => {
    const annotationPath = await writeAnnotation(root, {
      // Listed out of time order on purpose; m3 and m4 are two images of one study.
      train: [mimic('m3', 1, '21500302', '101500.000'), mimic('m1', 1, '21500101', '083000.000'), mimic('m4', 1, '21500302', '101500.000'), mimic('m2', 2, '21500101'), mimic('m5', 2, undefined), mimic('m6', 1, '21500101', '090000.000')],
      val: [],
      test: [],
    }, 'mimic.json');
    const ds = await loadR2GenDataset({ annotationPath, imageDir: join(root, 'img'), kind: 'mimic_cxr', imageSize: 32, labels: false });
    const priorOf = (id: string): string | undefined => ds.prior('train', ds.records('train').findIndex((r) => r.id === id))?.id;
    expect(priorOf('m1')).toBeUndefined();
    expect(priorOf('m6')).toBe('m1');
    expect(priorOf('m3')).toBe('m6');
    expect(priorOf('m4')).toBe('m6');
    expect(priorOf('m2')).toBeUndefined();
    expect(priorOf('m5')).toBeUndefined();
  });

  it("uses DDaTR's inline context fields as given", async () => {
    const annotationPath = await writeAnnotation(root, {
      train: [mimic('m1', 1, undefined, undefined, { has_progress: true, context_image: ['ctx.jpg'], context_report: 'Prior: small effusion.' }), mimic('m2', 1, undefined, undefined, { has_progress: false })],
      val: [],
      test: [],
    }, 'ddatr.json');
    const ds = await loadR2GenDataset({ annotationPath, imageDir: join(root, 'img'), kind: 'mimic_cxr', imageSize: 32, labels: false });
    expect(ds.prior('train', 0)).toEqual({ imagePaths: ['ctx.jpg'], report: 'Prior: small effusion.' });
    expect(ds.prior('train', 1)).toBeUndefined();
    const r = await ds.batches({ split: 'train', batchSize: 2, shuffle: false }).next();
    if (r.done === true) throw new Error('no batch');
    expect(Array.from(r.value.batch.aux.hasProgress?.data ?? [])).toEqual([1, 0]);
  });

  it('checks inline prior images like the entry images', async () => {
    const annotationPath = await writeAnnotation(root, {
      train: [mimic('m1', 1, undefined, undefined, { has_progress: true, context_image: ['gone.jpg'], context_report: 'Prior.' }), mimic('m2', 1, undefined)],
      val: [],
      test: [],
    }, 'ddatr-missing.json');
    const opts = { annotationPath, imageDir: join(root, 'img'), kind: 'mimic_cxr' as const, imageSize: 32, labels: false };
    await expect(loadR2GenDataset(opts)).rejects.toThrow(/`context_image\[0\]` \(in .*entry m1\) should name a decodable PNG or JPEG image\. Found no file at .*gone\.jpg/);
    const ds = await loadR2GenDataset({ ...opts, skipBad: true });
    expect(ds.records('train').map((r) => r.id)).toEqual(['m2']);
    expect(ds.skipped.map((e) => [e.entryId, e.field])).toEqual([['m1', 'context_image[0]']]);
  });

  it('rejects an explicit prior that names no entry', async () => {
    const annotationPath = await writeAnnotation(root, { train: [mimic('m1', 1, undefined, undefined, { prior: 'm9' })], val: [], test: [] }, 'bad-prior.json');
    const err = await loadR2GenDataset({ annotationPath, imageDir: join(root, 'img'), kind: 'mimic_cxr', imageSize: 32, labels: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnnotationError);
    expect((err as AnnotationError).field).toBe('prior');
    expect((err as AnnotationError).entryId).toBe('m1');
  });
});
