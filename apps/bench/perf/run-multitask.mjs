// Bundles multitask-step.ts with esbuild (from @came-grad/backbones' dev dependencies) and runs it.
// Bundling is what lets tfjs-core's extensionless gradient registrations load in plain Node; the
// tfjs packages stay external so that the bundle and the backends share one engine.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

const backbones = fileURLToPath(new URL('../../../packages/backbones/', import.meta.url));
const require = createRequire(`${backbones}package.json`);
const { build } = require('esbuild');
const outdir = `${backbones}node_modules/.cache/came-grad-bench/`;
mkdirSync(outdir, { recursive: true });
// The step bench and the worker of its task-parallel contender, side by side in `outdir`.
await build({
  entryPoints: ['./multitask-step.ts', './task-replica-worker.ts'].map((entry) => fileURLToPath(new URL(entry, import.meta.url))),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  outExtension: { '.js': '.mjs' },
  nodePaths: [`${backbones}node_modules`],
  logLevel: 'warning',
  plugins: [
    {
      name: 'tfjs-packages-external',
      setup(b) {
        b.onResolve({ filter: /^@tensorflow\/tfjs-(core|backend-cpu|backend-wasm)$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
const bench = await import(pathToFileURL(`${outdir}multitask-step.mjs`).href);
await bench.main(process.argv.slice(2).filter((a) => a !== '--' && a !== '--multitask'));
