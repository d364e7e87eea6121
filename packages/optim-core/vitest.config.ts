import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    passWithNoTests: true,
    // Pre-bundle TensorFlow.js once per run: importing its hundreds of modules in every test
    // file otherwise dominates the suite's time.
    deps: { optimizer: { ssr: { enabled: true, include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients'] } } },
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
