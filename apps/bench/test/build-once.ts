import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds dist/ once before the tests: runs execute in forked worker processes, which load the
 * built worker, as `pnpm bench` does.
 */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'node_modules', 'tsup', 'dist', 'cli-default.js')], {
    cwd: join(import.meta.dirname, '..'),
    stdio: 'ignore',
  });
}
