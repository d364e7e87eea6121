import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { 'index': 'src/index.ts', 'bin': 'src/bin.ts', 'task-replica-worker': 'src/train/task-replica-worker.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  // `import.meta.url` (the task replica worker's path) in the CommonJS build too.
  shims: true,
});
