// Bundles bench/step-time.ts with esbuild and runs it. Bundling is what makes tfjs-core's gradient
// and chained-op registrations loadable in plain Node: they ship only as extensionless ESM files,
// which Node's loader rejects. tfjs packages themselves stay external (one shared engine).
import { mkdirSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const outdir = fileURLToPath(new URL('../node_modules/.cache/came-grad-bench/', import.meta.url));
mkdirSync(outdir, { recursive: true });
const profile = process.argv.includes('--profile');
const entry = profile ? 'profile-kernels' : 'step-time';
const outfile = `${outdir}${entry}.mjs`;
await build({
  entryPoints: [`${here}${entry}.ts`, `${here}data-parallel-worker.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
  plugins: [
    {
      name: 'tfjs-packages-external',
      setup(b) {
        b.onResolve({ filter: /^@tensorflow\/tfjs-(core|backend-cpu|backend-wasm)$/ }, (args) => ({
          path: args.path,
          external: true,
        }));
      },
    },
  ],
});
const bench = await import(pathToFileURL(outfile).href);
if (profile) await bench.profileKernels();
else {
  await bench.main(process.argv.slice(2), {
    torchTwin: fileURLToPath(new URL('../../../apps/bench/perf/torch_twin.py', import.meta.url)),
    dataParallelWorker: `${outdir}data-parallel-worker.mjs`,
  });
}
