import { defineConfig } from 'tsup';

// Two entries: the command line, and the worker each run executes in (its own process, so a
// run's peak memory and a crash stay its own).
export default defineConfig({
  entry: { main: 'src/main.ts', worker: 'src/worker.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
});
