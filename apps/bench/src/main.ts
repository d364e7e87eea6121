#!/usr/bin/env node
// `pnpm bench`: the command line over the grid, the scheduler and the renderers.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCommand } from './bench-command';

const workerPath = join(dirname(fileURLToPath(import.meta.url)), 'worker.js');
benchCommand(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) }, workerPath)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
