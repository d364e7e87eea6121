import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The built binary: e2e tests run what users run. */
export const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `came-grad ...args` to completion. */
export function runBin(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `came-grad ...args` and SIGKILLs it once `until()` is true (polled every 20 ms). */
export async function runBinUntilKilled(args: readonly string[], until: () => boolean): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (until()) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 20);
    child.on('exit', () => {
      clearInterval(poll);
      resolve();
    });
    child.on('error', reject);
  });
}

/** The last JSON line a command printed. */
export function lastJson<T>(stdout: string): T {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as T;
}

/** Tiny, fast training arguments shared by the e2e tests (wasm backend: the default where no native TensorFlow is installed). */
export function tinyTrainArgs(data: string, out: string, extra: readonly string[] = []): string[] {
  return [
    'train', '--backbone', 'r2gen', '--data', data, '--out', out, '--size', 'tiny', '--backend', 'wasm',
    '--batch-size', '4', '--backbone-config', '{"maxSeqLength":16}', '--val-studies', '4', '--beam-size', '1', ...extra,
  ];
}
