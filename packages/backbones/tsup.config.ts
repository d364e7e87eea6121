import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { 'index': 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  // tfjs-core ships its gradient registrations only as extensionless ESM files that Node cannot
  // load; bundling them makes `import '@tensorflow/tfjs-core/dist/register_all_gradients'` work
  // from dist. They register into tfjs's global registry, shared with the external tfjs-core.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
});
