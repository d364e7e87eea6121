import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GridRun } from './grid';
import { assertRunRecord } from './run-record';
import type { RunRecord } from './run-record';

/** The bench's output folder: `results.jsonl` at the top, one directory per run under `runs/`. */
export const RESULTS_FILE = 'results.jsonl';

/** The file in a run directory that marks the run complete. */
export const RECORD_FILE = 'record.json';

export function runDirOf(outDir: string, id: string): string {
  return join(outDir, 'runs', id);
}

/** Reads `results.jsonl` (missing file = no records); a later line for the same id replaces an earlier one. */
export function readResults(outDir: string): RunRecord[] {
  const path = join(outDir, RESULTS_FILE);
  if (!existsSync(path)) return [];
  const byId = new Map<string, RunRecord>();
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${path} line ${i + 1} should be one JSON record. Found ${JSON.stringify(line.slice(0, 60))}`);
    }
    const record = assertRunRecord(value, `${path} line ${i + 1}`);
    byId.set(record.id, record);
  });
  return [...byId.values()];
}

export function appendResult(outDir: string, record: RunRecord): void {
  mkdirSync(outDir, { recursive: true });
  appendFileSync(join(outDir, RESULTS_FILE), `${JSON.stringify(record)}\n`);
}

/**
 * Splits runs into done and to-do. A run is done when `results.jsonl` has it, or when its
 * `record.json` exists (the process stopped between writing the record and appending it: the
 * record is appended now). Anything else runs, resuming from its checkpoint if it has one.
 */
export function partitionCompleted(outDir: string, runs: readonly GridRun[]): { done: RunRecord[]; todo: GridRun[] } {
  const stored = new Map(readResults(outDir).map((r) => [r.id, r]));
  const done: RunRecord[] = [];
  const todo: GridRun[] = [];
  for (const run of runs) {
    if (run.unavailable !== null) continue;
    const existing = stored.get(run.id);
    if (existing !== undefined) {
      done.push(existing);
      continue;
    }
    const recordPath = join(runDirOf(outDir, run.id), RECORD_FILE);
    if (existsSync(recordPath)) {
      const record = assertRunRecord(JSON.parse(readFileSync(recordPath, 'utf8')), recordPath);
      appendResult(outDir, record);
      done.push(record);
    } else {
      todo.push(run);
    }
  }
  return { done, todo };
}

/**
 * Merges the `results.jsonl` of several bench folders (shards) into `outDir`. Records are keyed
 * by run id; two shards holding the same id keep the one that finished first, so the merge is
 * the same whatever the order of the folders. Output is sorted by id.
 */
export function mergeResults(sources: readonly string[], outDir: string): RunRecord[] {
  const byId = new Map<string, RunRecord>();
  for (const source of sources) {
    if (!existsSync(join(source, RESULTS_FILE))) throw new Error(`merge: ${join(source, RESULTS_FILE)} should exist (a bench output folder). It does not`);
    for (const record of readResults(source)) {
      const existing = byId.get(record.id);
      if (existing === undefined || record.finishedAt < existing.finishedAt) byId.set(record.id, record);
    }
  }
  const records = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, RESULTS_FILE);
  writeFileSync(`${path}.tmp`, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  renameSync(`${path}.tmp`, path);
  return records;
}
