import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    passWithNoTests: true,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
