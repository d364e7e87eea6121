import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendRequest } from '@came-grad/backbones';
import type { GridRun } from './grid';
import { RECORD_FILE, appendResult, runDirOf } from './result-store';
import { assertRunRecord } from './run-record';
import type { RunRecord } from './run-record';
import type { WorkerMessage } from './worker';

/** How the scheduler runs the to-do list. */
export interface ScheduleOptions {
  readonly outDir: string;
  readonly dataDir: string;
  readonly backend: BackendRequest;
  /** Worker processes at a time (≥ 1). */
  readonly jobs: number;
  /** The built worker entry (`dist/worker.js`). */
  readonly workerPath: string;
  /** One line per event (start, progress, done, failure). */
  readonly log: (line: string) => void;
}

/** What a scheduled grid produced. */
export interface ScheduleResult {
  readonly records: RunRecord[];
  readonly failures: { readonly id: string; readonly message: string }[];
}

/**
 * Runs each grid run in its own worker process, `jobs` at a time, appending each finished
 * record to `results.jsonl` as soon as it arrives (so an interrupted grid keeps what it did).
 * A failed run is reported and the others continue.
 */
export async function scheduleRuns(runs: readonly GridRun[], options: ScheduleOptions): Promise<ScheduleResult> {
  const records: RunRecord[] = [];
  const failures: { id: string; message: string }[] = [];
  const queue = [...runs];
  const started = performance.now();
  let finished = 0;
  const elapsed = (): string => `${((performance.now() - started) / 60000).toFixed(1)} min`;
  const runOne = (run: GridRun): Promise<void> =>
    new Promise((resolve) => {
      const runDir = runDirOf(options.outDir, run.id);
      const child = fork(options.workerPath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let stderr = '';
      let outcome: WorkerMessage | null = null;
      let lastReport = 0;
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      child.on('message', (raw) => {
        const message = raw as WorkerMessage;
        if (message.type === 'step') {
          // A line every ~10% of a run keeps a log readable when it is a file, not a terminal.
          if (message.step === message.total || message.step - lastReport >= Math.max(1, Math.ceil(message.total / 10))) {
            lastReport = message.step;
            options.log(`  ${run.id}: step ${message.step}/${message.total} (${elapsed()})`);
          }
        } else {
          outcome = message;
        }
      });
      child.on('exit', (code) => {
        finished++;
        const done = outcome as WorkerMessage | null;
        if (done !== null && done.type === 'done') {
          const path = join(runDir, RECORD_FILE);
          const record = assertRunRecord(JSON.parse(readFileSync(path, 'utf8')), path);
          appendResult(options.outDir, record);
          records.push(record);
          options.log(`[${finished}/${runs.length}] done ${run.id}: CE-F1 macro ${record.metrics.ce.macro.f1.toFixed(4)} (${elapsed()})`);
        } else {
          const message = done !== null && done.type === 'error' ? done.message : `worker exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
          failures.push({ id: run.id, message });
          options.log(`[${finished}/${runs.length}] FAILED ${run.id}: ${message}`);
        }
        resolve();
      });
      options.log(`start ${run.id} (${run.config.backbone} × ${run.variant}, seed ${run.config.seed}, ${run.config.steps} steps)`);
      child.send({ run, context: { dataDir: options.dataDir, runDir, backend: options.backend } });
    });
  const lane = async (): Promise<void> => {
    for (let run = queue.shift(); run !== undefined; run = queue.shift()) await runOne(run);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, runs.length)) }, lane));
  return { records, failures };
}
