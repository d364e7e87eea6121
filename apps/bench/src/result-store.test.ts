import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testGridRun, testRecord } from '../test/fake-record';
import { RECORD_FILE, RESULTS_FILE, appendResult, mergeResults, partitionCompleted, readResults, runDirOf } from './result-store';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'bench-store-'));

describe('result store', () => {
  it('skips completed runs, recovers a record.json that was not appended, and never schedules unavailable runs', () => {
    const out = fresh();
    const [a, b, c] = [testGridRun('wcl', 'linear', 0), testGridRun('wcl', 'came-grad', 0), testGridRun('dcl', 'linear', 0)];
    const missing = testGridRun('revtaf', 'linear', 0, 'not registered');
    appendResult(out, testRecord(a!, 0.1));
    mkdirSync(runDirOf(out, b!.id), { recursive: true });
    writeFileSync(join(runDirOf(out, b!.id), RECORD_FILE), JSON.stringify(testRecord(b!, 0.2)));
    mkdirSync(runDirOf(out, c!.id), { recursive: true }); // a started run: checkpoint but no record
    const { done, todo } = partitionCompleted(out, [a!, b!, c!, missing]);
    expect(done.map((r) => r.id)).toEqual([a!.id, b!.id]);
    expect(todo.map((r) => r.id)).toEqual([c!.id]);
    expect(readResults(out).map((r) => r.id)).toEqual([a!.id, b!.id]);
    // Idempotent: a second pass appends nothing.
    partitionCompleted(out, [a!, b!, c!]);
    expect(readFileSync(join(out, RESULTS_FILE), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('names the file and line of a broken record', () => {
    const out = fresh();
    writeFileSync(join(out, RESULTS_FILE), '{"schema":1}\n');
    expect(() => readResults(out)).toThrow(/results\.jsonl line 1: a run record should have the field `id`/);
    writeFileSync(join(out, RESULTS_FILE), 'nope\n');
    expect(() => readResults(out)).toThrow(/line 1 should be one JSON record/);
  });

  it('merges shards into the same bytes whatever the folder order; a duplicated run keeps its first finish', () => {
    const runs = [0, 1, 2, 3].map((s) => testGridRun('wcl', s % 2 ? 'came-grad' : 'linear', s));
    const [s1, s2] = [fresh(), fresh()];
    appendResult(s1, testRecord(runs[2]!, 0.3));
    appendResult(s1, testRecord(runs[0]!, 0.1));
    appendResult(s2, testRecord(runs[1]!, 0.2));
    appendResult(s2, testRecord(runs[3]!, 0.4));
    appendResult(s2, testRecord(runs[0]!, 0.9, undefined, '2026-02-01T00:00:00.000Z'));
    const [m1, m2] = [fresh(), fresh()];
    mergeResults([s1, s2], m1);
    mergeResults([s2, s1], m2);
    const text = readFileSync(join(m1, RESULTS_FILE), 'utf8');
    expect(readFileSync(join(m2, RESULTS_FILE), 'utf8')).toBe(text);
    const merged = readResults(m1);
    expect(merged.map((r) => r.id)).toEqual(runs.map((r) => r.id).sort());
    expect(merged.find((r) => r.id === runs[0]!.id)?.metrics.ce.macro.f1).toBe(0.1);
    expect(() => mergeResults([join(s1, 'nope')], fresh())).toThrow(/merge: .*results\.jsonl should exist/);
  });
});
