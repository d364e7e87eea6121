/**
 * `pnpm --filter @came-grad/datasets bench`: throughput of the image pipeline (decode → resize →
 * crop/flip → normalise → batch, with prefetch) at 64 and 224 px, and of the synth-cxr generator.
 * Not a test: prints a Markdown table. Numbers depend on the machine and its load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadR2GenDataset } from '../src/load-r2gen-dataset.js';
import { generateSynthCxr } from '../src/synth-cxr/generate-synth-cxr.js';

/** CPU seconds (user + system, all threads) since `start`: less sensitive to a shared machine's load than wall time. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'datasets-bench-'));
  const rows: string[] = [];
  try {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const gen = await generateSynthCxr({ outDir: join(root, 'gen64'), studies: 2000, seed: 1, imageSize: 64 });
    const genS = (performance.now() - t0) / 1000;
    const total = gen.counts.train + gen.counts.val + gen.counts.test;
    rows.push(`| synth-cxr generator, 2,000 studies at 64 px (2 PNGs each) | ${genS.toFixed(2)} s | ${cpuSeconds(c0).toFixed(2)} s | ${(total / genS).toFixed(0)} studies/s |`);

    // Source images at 256 px, larger than either target, so every run really resizes.
    const src = await generateSynthCxr({ outDir: join(root, 'src256'), studies: 300, seed: 2, imageSize: 256 });
    for (const size of [64, 224]) {
      for (const split of ['train', 'test'] as const) {
        const ds = await loadR2GenDataset({ annotationPath: src.annotationPath, imageDir: src.imageDir, kind: 'synth-cxr', imageSize: size, labels: false, priors: false });
        const t = performance.now();
        const c = process.cpuUsage();
        let images = 0;
        for await (const { batch } of ds.batches({ split: 'train', batchSize: 16, seed: 1, augment: split === 'train', prefetch: 2 })) {
          images += batch.size * batch.images.shape[1];
        }
        const s = (performance.now() - t) / 1000;
        rows.push(`| pipeline ${size} px, ${split === 'train' ? 'train (resize, random crop, flip)' : 'eval (resize)'}, 256 px PNG sources, batch 16, prefetch 2 | ${images} images in ${s.toFixed(2)} s | ${cpuSeconds(c).toFixed(2)} s | ${(images / s).toFixed(0)} images/s |`);
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(`Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
  console.log('| measurement | wall time | CPU time (all threads) | throughput (wall) |\n|---|---|---|---|');
  for (const r of rows) console.log(r);
}

void main();
