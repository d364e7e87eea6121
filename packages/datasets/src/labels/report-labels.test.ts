import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABELER_VERSION, OBSERVATIONS } from '@came-grad/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_BLANK, labelAll, reportHash } from './report-labels.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labels-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const col = (name: string): number => OBSERVATIONS.indexOf(name as (typeof OBSERVATIONS)[number]);

describe('labelAll', () => {
  it('codes labels 1/0/−1/blank in CheXpert order', async () => {
    const { codes } = await labelAll(['Mild cardiomegaly without pulmonary edema.', 'Possible small right pleural effusion.']);
    expect(codes.length).toBe(28);
    expect(codes[col('Cardiomegaly')]).toBe(1);
    expect(codes[col('Edema')]).toBe(0);
    expect(codes[col('Pneumothorax')]).toBe(LABEL_BLANK);
    expect(codes[14 + col('Pleural Effusion')]).toBe(-1);
  });

  it('caches by report text, labels only new texts, and ignores a cache from another labeler version', async () => {
    const cache = join(dir, 'c');
    const first = await labelAll(['No pneumothorax.', 'No pneumothorax.', 'Small left pleural effusion.'], cache);
    expect(first.stats).toEqual({ reports: 3, fromCache: 1, labelled: 2 });
    const second = await labelAll(['Small left pleural effusion.', 'Heart size is normal.'], cache);
    expect(second.stats).toEqual({ reports: 2, fromCache: 1, labelled: 1 });
    expect(await readdir(cache)).toEqual([`chexpert-labels.${LABELER_VERSION}.json`]);
    const file = join(cache, `chexpert-labels.${LABELER_VERSION}.json`);
    const body = JSON.parse(await readFile(file, 'utf8')) as { labels: Record<string, number[]> };
    expect(Object.keys(body.labels).sort()).toEqual(['No pneumothorax.', 'Small left pleural effusion.', 'Heart size is normal.'].map(reportHash).sort());
    await writeFile(file, JSON.stringify({ ...body, labelerVersion: 'other-v0' }));
    expect((await labelAll(['Heart size is normal.'], cache)).stats.labelled).toBe(1);
  });
});
