import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { 'index': 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  // The METEOR synonym module resolves its WordNet package with import.meta.url, also in the CJS build.
  shims: true,
});
