import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OBSERVATION_KEYS } from '@came-grad/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CursorError } from '../src/errors.js';
import { loadR2GenDataset } from '../src/load-r2gen-dataset.js';
import type { LoadedBatch } from '../src/batching/batch-stream.js';
import type { R2GenDataset } from '../src/load-r2gen-dataset.js';
import { generateSynthCxr } from '../src/synth-cxr/generate-synth-cxr.js';
import type { BatchOptions } from '../src/load-r2gen-dataset.js';
import type { SynthCxrEntry } from '../src/synth-cxr/generate-synth-cxr.js';

let root: string;
let ds: R2GenDataset;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'batching-'));
  const res = await generateSynthCxr({ outDir: root, studies: 36, seed: 21, imageSize: 40, priorShare: 0.5 });
  ds = await loadR2GenDataset({ annotationPath: res.annotationPath, imageDir: res.imageDir, kind: 'synth-cxr', imageSize: 32 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect(o: BatchOptions): Promise<LoadedBatch[]> {
  const out: LoadedBatch[] = [];
  for await (const b of ds.batches(o)) out.push(b);
  return out;
}

describe('batches', () => {
  it('visits every sample once per epoch, in an order fixed by (seed, epoch)', async () => {
    const n = ds.sizes.train;
    const run = await collect({ split: 'train', batchSize: 5, seed: 4, epochs: 2 });
    const epoch = (e: number): string[] => run.filter((b) => b.epoch === e).flatMap((b) => [...b.batch.ids]);
    const ids = ds.records('train').map((r) => r.id);
    expect([...epoch(0)].sort()).toEqual([...ids].sort());
    expect([...epoch(1)].sort()).toEqual([...ids].sort());
    expect(epoch(0)).not.toEqual(epoch(1));
    expect(epoch(0)).not.toEqual(ids);
    expect(run).toHaveLength(2 * Math.ceil(n / 5));
    expect(run.at(-1)?.cursor).toEqual({ epoch: 2, position: 0 });
    const again = await collect({ split: 'train', batchSize: 5, seed: 4, epochs: 2 });
    expect(again.flatMap((b) => b.batch.ids)).toEqual(run.flatMap((b) => b.batch.ids));
    expect(again.map((b) => Array.from(b.batch.images.data.subarray(0, 64)))).toEqual(run.map((b) => Array.from(b.batch.images.data.subarray(0, 64))));
    const other = await collect({ split: 'train', batchSize: 5, seed: 5, epochs: 1 });
    expect(other.flatMap((b) => b.batch.ids)).not.toEqual(epoch(0));
  });

  it('resumes exactly from a saved cursor: same ids, same pixels, same cursors', async () => {
    const full = await collect({ split: 'train', batchSize: 4, seed: 9, epochs: 2, prefetch: 3 });
    for (const k of [1, Math.floor(full.length / 2), full.length - 2]) {
      const saved = (full[k] as LoadedBatch).cursor;
      const tail = await collect({ split: 'train', batchSize: 4, seed: 9, epochs: 2, cursor: saved, prefetch: 0 });
      expect(tail).toHaveLength(full.length - k - 1);
      tail.forEach((b, i) => {
        const ref = full[k + 1 + i] as LoadedBatch;
        expect(b.batch.ids).toEqual(ref.batch.ids);
        expect(b.cursor).toEqual(ref.cursor);
        expect(Buffer.from(b.batch.images.data.buffer).equals(Buffer.from(ref.batch.images.data.buffer))).toBe(true);
      });
    }
  });

  it('augments training images (seeded crop and flip) and leaves evaluation images alone', async () => {
    const [a] = await collect({ split: 'train', batchSize: 3, seed: 1, shuffle: false, epochs: 1 });
    const [b] = await collect({ split: 'train', batchSize: 3, seed: 2, shuffle: false, epochs: 1 });
    const [c] = await collect({ split: 'train', batchSize: 3, seed: 2, shuffle: false, augment: false });
    const [d] = await collect({ split: 'train', batchSize: 3, seed: 7, shuffle: false, augment: false });
    expect(a?.batch.ids).toEqual(b?.batch.ids);
    expect(Buffer.from(a?.batch.images.data.buffer as ArrayBuffer).equals(Buffer.from(b?.batch.images.data.buffer as ArrayBuffer))).toBe(false);
    expect(Buffer.from(c?.batch.images.data.buffer as ArrayBuffer).equals(Buffer.from(d?.batch.images.data.buffer as ArrayBuffer))).toBe(true);
    const val = await collect({ split: 'val', batchSize: 100 });
    expect(val[0]?.batch.ids).toEqual(ds.records('val').map((r) => r.id));
  });

  it('drops the last incomplete batch on request', async () => {
    const n = ds.sizes.train;
    const run = await collect({ split: 'train', batchSize: 7, seed: 3, dropLast: true });
    expect(run).toHaveLength(Math.floor(n / 7));
    expect(run.every((b) => b.batch.size === 7)).toBe(true);
    expect(run.at(-1)?.cursor).toEqual({ epoch: 1, position: 0 });
  });

  it('carries prior-study inputs and labels for longitudinal models', async () => {
    const all = await collect({ split: 'train', batchSize: 64, shuffle: false, augment: false });
    const batch = (all[0] as LoadedBatch).batch;
    const B = batch.size;
    const hp = batch.aux.hasProgress?.data as Float32Array;
    expect(batch.aux.priorImage?.shape).toEqual([B, 2, 32, 32, 3]);
    expect(hp.some((v) => v === 1)).toBe(true);
    expect(hp.some((v) => v === 0)).toBe(true);
    const per = 2 * 32 * 32 * 3;
    for (let b = 0; b < B; b++) {
      const prior = ds.prior('train', b);
      expect(hp[b]).toBe(prior === undefined ? 0 : 1);
      const img = (batch.aux.priorImage?.data as Float32Array).subarray(b * per, (b + 1) * per);
      const ids = Array.from((batch.aux.priorReportIds?.data as Int32Array).subarray(b * 60, (b + 1) * 60));
      if (prior === undefined) {
        expect(img.every((v) => v === 0)).toBe(true);
        expect(ids.every((v) => v === 0)).toBe(true);
      } else {
        expect(img.some((v) => v !== 0)).toBe(true);
        expect(ids.slice(0, 10)).toEqual(ds.tokenizer.encode(prior.report, 60).slice(0, 10));
        expect(ds.records('train').find((r) => r.id === prior.id)?.id).toBe(prior.id);
      }
    }
    const l14 = batch.aux.labels14?.data as Int8Array;
    const l4 = batch.aux.labels14x4?.data as Int32Array;
    for (let i = 0; i < l14.length; i++) expect(l4[i]).toBe(({ 1: 1, 0: 2, [-1]: 3, [-2]: 0 } as Record<number, number>)[l14[i] as number]);
  });

  it('slices caller-computed per-sample arrays (cluster ids, retrieval memory) into each batch', async () => {
    const n = ds.sizes.train;
    const clusterIds = Int32Array.from({ length: n }, (_, i) => 100 + i);
    const memData = Float32Array.from({ length: n * 3 * 2 }, (_, i) => i);
    const run = await collect({ split: 'train', batchSize: 5, seed: 2, clusterIds, retrievedMemory: { data: memData, shape: [n, 3, 2] } });
    const index = new Map(ds.records('train').map((r, i) => [r.id, i]));
    for (const { batch } of run) {
      expect(batch.aux.retrievedMemory?.shape).toEqual([batch.size, 3, 2]);
      batch.ids.forEach((id, b) => {
        const i = index.get(id) as number;
        expect(batch.aux.clusterId?.data[b]).toBe(100 + i);
        expect(Array.from(batch.aux.retrievedMemory?.data.subarray(b * 6, b * 6 + 6) ?? [])).toEqual(Array.from(memData.subarray(i * 6, i * 6 + 6)));
      });
    }
    expect(() => ds.batches({ split: 'train', batchSize: 5, clusterIds: new Int32Array(n + 1) })).toThrow(/`clusterIds` should be an Int32Array of length/);
    expect(() => ds.batches({ split: 'train', batchSize: 5, retrievedMemory: { data: new Float32Array(6), shape: [1, 3, 2] } })).toThrow(/`retrievedMemory`/);
  });

  it("labels the generated reports exactly as the generator's truth", async () => {
    const ann = JSON.parse(await readFile(ds.annotationPath, 'utf8')) as Record<'train' | 'val' | 'test', SynthCxrEntry[]>;
    for (const split of ['train', 'val', 'test'] as const) {
      const codes = ds.labels(split) as Int8Array;
      ann[split].forEach((e, i) => {
        expect(ds.records(split)[i]?.id).toBe(e.id);
        expect(Array.from(codes.subarray(i * 14, i * 14 + 14))).toEqual(OBSERVATION_KEYS.map((k) => e.labels[k] ?? -2));
      });
    }
  });

  it('decodes ahead: with prefetch the next batch is ready before any I/O turn when asked for', async () => {
    const probe = async (prefetch: number): Promise<string> => {
      const stream = ds.batches({ split: 'train', batchSize: 2, seed: 1, prefetch });
      await stream.next();
      // Ample time for a 2-sample batch to decode in the background, if it was started.
      await new Promise((resolve) => setTimeout(resolve, 800));
      const ioTurn = new Promise<string>((resolve) => setImmediate(() => resolve('after an I/O turn')));
      const outcome = await Promise.race([stream.next().then(() => 'ready'), ioTurn]);
      await stream.return?.();
      return outcome;
    };
    expect(await probe(2)).toBe('ready');
    expect(await probe(0)).toBe('after an I/O turn');
  });

  it('rejects cursors that do not fit the split', () => {
    expect(() => ds.batches({ split: 'train', batchSize: 4, cursor: { epoch: 0, position: ds.sizes.train + 1 } })).toThrow(CursorError);
    expect(() => ds.batches({ split: 'train', batchSize: 4, cursor: { epoch: -1, position: 0 } })).toThrow(/`cursor.epoch` should be an integer ≥ 0/);
    expect(() => ds.batches({ split: 'train', batchSize: 0 })).toThrow(/`batchSize`/);
  });
});
