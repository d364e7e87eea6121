import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/checkpoint/checkpoint-file';
import { lastJson, runBin, runBinUntilKilled, tinyTrainArgs } from './cli-helpers';

interface TrainJson {
  steps: number;
  weightsDigest: string;
  resumedFrom: number | null;
}

interface StepLog {
  type: string;
  step: number;
  losses: Record<string, number>;
  taskWeights: number[];
  droppedTasks: string[];
}

const root = mkdtempSync(join(tmpdir(), 'came-grad-warm-'));
const pretrainData = join(root, 'pre');
const data = join(root, 'data');
/** A cls-only pretraining run on its own data set (another synth seed). */
const pretrained = join(root, 'pretrained');

/** Model weights of a checkpoint file, by parameter name. */
function weightsOf(file: string): Map<string, Float32Array | Int32Array> {
  return new Map(readCheckpoint<unknown>(file).arrays.filter((a) => a.name.startsWith('model/')).map((a) => [a.name.slice('model/'.length), a.data]));
}

/** The weights a run starts from: one step at learning rate 0 moves nothing (AdamW's update and decay both scale with it). */
function initialWeights(out: string, extra: readonly string[] = []): Map<string, Float32Array | Int32Array> {
  const run = runBin(tinyTrainArgs(data, out, ['--steps', '1', '--lr', '0', ...extra]));
  expect(run.code, run.stderr).toBe(0);
  return weightsOf(join(out, 'checkpoint.bin'));
}

function names(weights: Map<string, unknown>, keep: (name: string) => boolean): string[] {
  return [...weights.keys()].filter(keep);
}

const isVisual = (name: string): boolean => name.startsWith('visual.');
const isLogit = (name: string): boolean => name.startsWith('logit.');

beforeAll(() => {
  for (const [out, seed] of [[pretrainData, '11'], [data, '3']] as const) {
    const synth = runBin(['synth', '--out', out, '--studies', '40', '--seed', seed, '--image-size', '32']);
    expect(synth.code, synth.stderr).toBe(0);
  }
  const pre = runBin(tinyTrainArgs(pretrainData, pretrained, ['--steps', '3', '--tasks', 'cls', '--optimizer', 'linear']));
  expect(pre.code, pre.stderr).toBe(0);
}, 300_000);

describe('warm starts: --tasks and --init-from', () => {
  it('--tasks cls trains the classifier only: lm is dropped at every step and its own parameters keep their initial values', () => {
    const log = readFileSync(join(pretrained, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StepLog).filter((r) => r.type === 'step');
    expect(log.map((r) => r.step)).toEqual([0, 1, 2]);
    for (const record of log) {
      expect(record.droppedTasks).toEqual(['lm']);
      expect(Object.keys(record.losses)).toEqual(['cls']);
      expect(record.taskWeights).toEqual([1]);
    }
    const config = JSON.parse(readFileSync(join(pretrained, 'run.json'), 'utf8')) as { options: { tasks: string[] } };
    expect(config.options.tasks).toEqual(['cls']);

    // Same seed, same data order: the pretraining run's starting point, without training it.
    const before = (() => {
      const run = runBin(tinyTrainArgs(pretrainData, join(root, 'pre-initial'), ['--steps', '1', '--lr', '0', '--tasks', 'cls', '--optimizer', 'linear']));
      expect(run.code, run.stderr).toBe(0);
      return weightsOf(join(root, 'pre-initial', 'checkpoint.bin'));
    })();
    const after = weightsOf(join(pretrained, 'checkpoint.bin'));
    const logits = names(after, isLogit);
    expect(logits.length).toBeGreaterThan(0);
    for (const name of logits) expect(after.get(name), name).toEqual(before.get(name));
    // ... while the classification path did move.
    const visual = names(after, isVisual);
    expect(visual.some((name) => !equalArrays(after.get(name)!, before.get(name)!))).toBe(true);
  });

  it('skips (does not crash on) a step where every selected task is scheduled off', () => {
    // WCL gates its contrastive task until contraEpoch; with --tasks contrast nothing is left to train.
    const out = join(root, 'wcl-gated');
    const args = tinyTrainArgs(data, out, ['--steps', '2', '--tasks', 'contrast', '--json'])
      .map((a) => (a === 'r2gen' ? 'wcl' : a === '{"maxSeqLength":16}' ? '{"maxSeqLength":16,"contraEpoch":5,"clsHead":false}' : a));
    const run = runBin(args);
    expect(run.code, run.stderr).toBe(0);
    expect((lastJson<{ skippedSteps: number }>(run.stdout)).skippedSteps).toBe(2);
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StepLog & { skipped: string | null });
    expect(log.map((r) => [r.skipped, r.droppedTasks])).toEqual([['no active task', ['lm', 'contrast']], ['no active task', ['lm', 'contrast']]]);
  });

  it('--init-from with --init-prefix visual starts from the source visual weights and this run\'s own initialisation elsewhere', () => {
    const source = weightsOf(join(pretrained, 'checkpoint.bin'));
    const fresh = initialWeights(join(root, 'fresh'));
    const out = join(root, 'warm-initial');
    const run = runBin(tinyTrainArgs(data, out, ['--steps', '1', '--lr', '0', '--init-from', pretrained, '--init-prefix', 'visual']));
    expect(run.code, run.stderr).toBe(0);
    const visual = names(fresh, isVisual);
    expect(run.stderr).toContain(`init: ${visual.length} of ${fresh.size} parameters from ${join(pretrained, 'checkpoint.bin')} (prefixes visual)`);
    const warm = weightsOf(join(out, 'checkpoint.bin'));
    for (const name of visual) {
      expect(warm.get(name), name).toEqual(source.get(name));
      expect(equalArrays(warm.get(name)!, fresh.get(name)!), name).toBe(false);
    }
    for (const name of names(fresh, (n) => !isVisual(n))) expect(warm.get(name), name).toEqual(fresh.get(name));
    const config = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { options: { initFrom: { file: string; sha256: string; prefixes: string[] } } };
    expect(config.options.initFrom.file).toBe(join(pretrained, 'checkpoint.bin'));
    expect(config.options.initFrom.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(config.options.initFrom.prefixes).toEqual(['visual']);
  });

  it('refuses unknown tasks, a missing source, mismatched shapes and a prefix that matches nothing, in one line and before writing run.json', () => {
    const small = join(root, 'small');
    const smallRun = runBin(tinyTrainArgs(data, small, ['--steps', '1', '--lr', '0']).map((a) => (a === 'tiny' ? 'small' : a)));
    expect(smallRun.code, smallRun.stderr).toBe(0);
    const cases: [string[], RegExp][] = [
      [['--tasks', 'foo'], /`--tasks` should list tasks of r2gen \(lm, cls\)\. Found "foo"\./],
      [['--tasks', 'cls,bar'], /`--tasks` should list tasks of r2gen \(lm, cls\)\. Found "bar"\./],
      [['--init-from', join(root, 'nowhere')], /--init-from should be a run directory or a checkpoint file .*Found no file at .*nowhere/],
      [['--init-from', small], /--init-from: parameter attEmbed\.weight has shape \[64, 64\] in .*small\/checkpoint\.bin, this run's model expects \[64, 32\]/],
      [['--init-from', pretrained, '--init-prefix', 'visualizer'], /--init-from: no parameter of r2gen \(prefixes visualizer\) has a namesake in .*pretrained\/checkpoint\.bin/],
      [['--init-prefix', 'visual'], /--init-prefix applies to --init-from/],
    ];
    for (const [extra, message] of cases) {
      const out = join(root, `refused-${extra.join('-').replace(/[^a-z]/gi, '')}`);
      const run = runBin(tinyTrainArgs(data, out, ['--steps', '1', ...extra]));
      expect(run.code, extra.join(' ')).not.toBe(0);
      expect(run.stderr, extra.join(' ')).toMatch(message);
      expect(run.stderr.trim().split('\n'), extra.join(' ')).toHaveLength(1);
      expect(existsSync(join(out, 'run.json')), extra.join(' ')).toBe(false);
    }
  });

  it('resumes a SIGKILLed warm-started run to exactly the uninterrupted weights, and refuses a resume with another --tasks', async () => {
    const args = (out: string): string[] => tinyTrainArgs(data, out, ['--steps', '4', '--checkpoint-every', '1', '--init-from', pretrained, '--init-prefix', 'visual']);
    const straight = runBin([...args(join(root, 'warm-straight')), '--json']);
    expect(straight.code, straight.stderr).toBe(0);
    const killed = join(root, 'warm-killed');
    const log = join(killed, 'log.jsonl');
    await runBinUntilKilled(args(killed), () => existsSync(log) && readFileSync(log, 'utf8').split('\n').length > 2);
    expect(existsSync(join(killed, 'checkpoint.bin'))).toBe(true);
    const other = runBin([...args(killed), '--tasks', 'cls', '--resume']);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/--resume: tasks was undefined in .*warm-killed, now \["cls"\]/);
    const resumed = runBin([...args(killed), '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain('init:');
    const a = lastJson<TrainJson>(straight.stdout);
    const b = lastJson<TrainJson>(resumed.stdout);
    expect(b.resumedFrom).toBeGreaterThanOrEqual(1);
    expect(b.steps).toBe(4);
    expect(b.weightsDigest).toBe(a.weightsDigest);
  });
});

function equalArrays(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
