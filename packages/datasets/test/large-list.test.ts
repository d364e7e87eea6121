import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadR2GenDataset } from '../src/load-r2gen-dataset.js';
import { createRandom } from '../src/random/seeded-random.js';
import { gradientPng, writeAnnotation, writeImages } from './tiny-images.js';

// A MIMIC-scale list whose entries all point at a handful of image files: the point is that
// loading and iterating never materialise per-entry images, so memory stays flat.
const N = 30_000;
let root: string;
let annotationPath: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'large-'));
  await writeImages(join(root, 'img'), ['p0.png', 'p1.png', 'p2.png'], () => gradientPng(48, 48));
  const rng = createRandom(1);
  const words = ['the', 'heart', 'is', 'normal', 'no', 'effusion', 'lungs', 'are', 'clear', 'mild', 'opacity', 'left', 'right', 'base'];
  const make = (i: number, split: string): Record<string, unknown> => ({
    id: `d${i}`,
    subject_id: Math.floor(i / 3),
    report: Array.from({ length: 12 }, () => rng.pick(words)).join(' ') + '.',
    image_path: [`p${i % 3}.png`],
    split,
  });
  const train = Array.from({ length: N }, (_, i) => make(i, 'train'));
  annotationPath = await writeAnnotation(root, { train, val: [make(N, 'val')], test: [make(N + 1, 'test')] });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('memory on MIMIC-scale lists', () => {
  it('stays flat while streaming batches from a 30k-entry list', async () => {
    const t0 = performance.now();
    const ds = await loadR2GenDataset({ annotationPath, imageDir: join(root, 'img'), kind: 'mimic_cxr', imageSize: 32, labels: false, checkImages: 'none' });
    expect(ds.sizes.train).toBe(N);
    // Loading validates and tokenises text only: no image is opened (checkImages 'none').
    expect(performance.now() - t0).toBeLessThan(20_000);
    const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    let atWarm = 0;
    let peak = 0;
    let k = 0;
    for await (const { batch } of ds.batches({ split: 'train', batchSize: 16, seed: 3, epochs: Infinity, prefetch: 2 })) {
      expect(batch.images.shape).toEqual([16, 1, 32, 32, 3]);
      k++;
      if (k === 5) atWarm = used();
      if (k > 5) peak = Math.max(peak, used());
      if (k === 30) break;
    }
    // Decoding the whole list would need N·32·32·3·4 bytes ≈ 370 MB; a few batches are ~1 MB.
    expect(peak - atWarm).toBeLessThan(48 * 2 ** 20);
  });
});
