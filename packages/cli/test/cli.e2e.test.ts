import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runBin, runBinUntilKilled, tinyTrainArgs } from './cli-helpers';

interface TrainJson {
  steps: number;
  losses: Record<string, number>;
  seconds: number;
  weightsDigest: string;
  skippedSteps: number;
  resumedFrom: number | null;
}

interface StepLog {
  weights: number[] | null;
  lossWeights: number[] | null;
  methodInfo: Record<string, unknown> | null;
}

const root = mkdtempSync(join(tmpdir(), 'came-grad-cli-'));
const data = join(root, 'data');

beforeAll(() => {
  const synth = runBin(['synth', '--out', data, '--studies', '60', '--seed', '3', '--image-size', '32']);
  expect(synth.stderr).toBe('');
  expect(synth.code).toBe(0);
}, 120_000);

describe('came-grad command line', () => {
  it('prints help for every command and exits 0', () => {
    const top = runBin(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['train', 'eval', 'generate', 'score', 'label', 'synth']) {
      expect(top.stdout).toContain(command);
      const help = runBin([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: came-grad ${command}`);
    }
    const train = runBin(['train', '--help']).stdout;
    for (const id of ['came-grad', 'mmpareto', 'uw', 'dwa', 'gradnorm', 'famo', 'rlw', 'rotograd']) expect(train).toContain(id);
  });

  it('reports bad input in one line with a non-zero exit, never a stack trace', () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [tinyTrainArgs(data, join(root, 'x'), ['--steps', '1']).map((a) => (a === 'r2gen' ? 'nope' : a)), /--backbone should be one of .*r2gen.*Found "nope"/],
      [tinyTrainArgs(data, join(root, 'x'), ['--steps', '1', '--optimizer', 'sgdx']), /--optimizer should be one of .*came-grad.*uw, dwa, gradnorm, famo, rlw, rotograd.*Found "sgdx"/],
      [
        tinyTrainArgs(data, join(root, 'x'), ['--steps', '1', '--optimizer', 'rotograd']).map((a) => (a === 'r2gen' ? 'tgrg' : a)),
        /`--optimizer rotograd` needs a backbone with a shared representation \(encodeShared\): r2gen, .*revtaf\. Found `tgrg`\./,
      ],
      [tinyTrainArgs(data, join(root, 'x'), ['--steps', '1', '--optimizer', 'famo', '--optimizer-options', '{"lr":-1}']), /--optimizer-options: `famo.lr` should be/],
      [tinyTrainArgs(join(root, 'missing'), join(root, 'x'), ['--steps', '1']), /missing/],
      [tinyTrainArgs(data, join(root, 'x'), ['--steps', '0']), /--steps should be an integer ≥ 1/],
      [tinyTrainArgs(data, join(root, 'x'), ['--steps', '1', '--clip', 'value:-1']), /--clip should be none, value:V or norm:N/],
      [['eval', '--run', join(root, 'no-run')], /no run at .*run\.json is missing/],
      [['train', '--data', data], /--backbone is required/],
      [tinyTrainArgs(data, join(root, 'x'), ['--steps', '1', '--optimizer', 'linear', '--task-parallel']), /--task-parallel: linear takes one backward pass of the weighted sum.*add --diagnostics/],
      [
        tinyTrainArgs(data, join(root, 'x'), ['--steps', '1', '--optimizer', 'came-grad', '--task-parallel']).map((a) => (a === 'r2gen' ? 'dcl' : a)),
        /--task-parallel: dcl keeps state across steps/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = runBin(args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('trains with linear and came-grad, then evaluates with NLG, CE and the trivial baselines', () => {
    for (const optimizer of ['linear', 'came-grad']) {
      const out = join(root, `run-${optimizer}`);
      const run = runBin([...tinyTrainArgs(data, out, ['--steps', '3', '--optimizer', optimizer, '--val-every', '3']), '--json']);
      expect(run.code, run.stderr).toBe(0);
      const summary = lastJson<TrainJson>(run.stdout);
      expect(summary.steps).toBe(3);
      expect(Object.keys(summary.losses)).toEqual(['lm', 'cls']);
      for (const value of Object.values(summary.losses)) expect(Number.isFinite(value)).toBe(true);
      expect(summary.weightsDigest).toMatch(/^[0-9a-f]{64}$/);
      const log = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
      expect(log.filter((r) => r.type === 'step')).toHaveLength(3);
      expect(log.filter((r) => r.type === 'validation')).toHaveLength(1);
      expect(existsSync(join(out, 'best.bin'))).toBe(true);
    }
    const evaluation = runBin(['eval', '--run', join(root, 'run-came-grad'), '--split', 'test', '--json', '--beam-size', '1', '--limit', '6', '--backend', 'wasm']);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const result = lastJson<{ n: number; nlg: Record<string, number>; ce: Record<string, { f1: number }>; baselines: Record<string, unknown> }>(evaluation.stdout);
    expect(result.n).toBe(6);
    expect(Object.keys(result.nlg)).toEqual(['bleu1', 'bleu2', 'bleu3', 'bleu4', 'meteor', 'rougeL', 'cider']);
    expect(Object.keys(result.ce)).toEqual(['macro', 'micro']);
    expect(Object.keys(result.baselines)).toEqual(['mostFrequentReport', 'allNegative']);
  });

  it('trains with the loss weightings and RotoGrad, logging λ and the method state per step', () => {
    for (const optimizer of ['uw', 'famo', 'gradnorm', 'rotograd']) {
      const out = join(root, `run-${optimizer}`);
      const run = runBin([...tinyTrainArgs(data, out, ['--steps', '2', '--optimizer', optimizer]), '--json']);
      expect(run.code, run.stderr).toBe(0);
      const summary = lastJson<TrainJson>(run.stdout);
      expect(summary.steps).toBe(2);
      expect(summary.skippedSteps).toBe(0);
      expect(Object.keys(summary.losses)).toEqual(['lm', 'cls']);
      for (const value of Object.values(summary.losses)) expect(Number.isFinite(value), optimizer).toBe(true);
      const log = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StepLog);
      expect(log).toHaveLength(2);
      for (const record of log) {
        expect(record.weights, optimizer).toHaveLength(2);
        expect(record.methodInfo, optimizer).not.toBeNull();
        if (optimizer === 'rotograd') expect(record.lossWeights).toBeNull();
        else expect(record.lossWeights).toEqual(record.weights);
      }
      // Each method's weights at step 0 are its documented starting point.
      const first = log[0]?.weights ?? [];
      if (optimizer === 'uw') expect(first).toEqual([0.5, 0.5]);
      if (optimizer === 'gradnorm') expect(first).toEqual([1, 1]);
      if (optimizer === 'famo') expect((first[0] as number) + (first[1] as number)).toBeCloseTo(1, 12);
      if (optimizer === 'rotograd') expect((log[0]?.methodInfo as { alphas: number[] }).alphas).toEqual([0.5, 0.5]);
    }
  });

  it('resumes a SIGKILLed famo run (logits and their Adam moments in the checkpoint) to exactly the uninterrupted weights', async () => {
    const steps = ['--steps', '4', '--checkpoint-every', '1', '--optimizer', 'famo'];
    const straight = runBin([...tinyTrainArgs(data, join(root, 'famo-straight'), steps), '--json']);
    expect(straight.code, straight.stderr).toBe(0);
    const killedDir = join(root, 'famo-killed');
    const log = join(killedDir, 'log.jsonl');
    await runBinUntilKilled(tinyTrainArgs(data, killedDir, steps), () => existsSync(log) && readFileSync(log, 'utf8').split('\n').length > 2);
    const resumed = runBin([...tinyTrainArgs(data, killedDir, steps), '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const a = lastJson<TrainJson>(straight.stdout);
    const b = lastJson<TrainJson>(resumed.stdout);
    expect(b.resumedFrom).toBeGreaterThanOrEqual(1);
    expect(b.resumedFrom).toBeLessThan(4);
    expect(b.weightsDigest).toBe(a.weightsDigest);
    const lambdas = (dir: string): unknown[] => readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as StepLog).lossWeights);
    expect(lambdas(killedDir)).toEqual(lambdas(join(root, 'famo-straight')));
  });

  it('resumes a SIGKILLed run to exactly the weights of an uninterrupted one', async () => {
    const steps = ['--steps', '4', '--checkpoint-every', '1', '--optimizer', 'came-grad'];
    const straight = runBin([...tinyTrainArgs(data, join(root, 'straight'), steps), '--json']);
    expect(straight.code, straight.stderr).toBe(0);
    const killedDir = join(root, 'killed');
    const log = join(killedDir, 'log.jsonl');
    await runBinUntilKilled(tinyTrainArgs(data, killedDir, steps), () => existsSync(log) && readFileSync(log, 'utf8').split('\n').length > 2);
    expect(existsSync(join(killedDir, 'checkpoint.bin'))).toBe(true);
    const resumed = runBin([...tinyTrainArgs(data, killedDir, steps), '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const a = lastJson<TrainJson>(straight.stdout);
    const b = lastJson<TrainJson>(resumed.stdout);
    expect(b.resumedFrom).toBeGreaterThanOrEqual(1);
    expect(b.steps).toBe(4);
    expect(b.weightsDigest).toBe(a.weightsDigest);
  });

  // Resuming a killed run with --task-parallel is checked for every backbone in resume-every-backbone.e2e.test.ts.
  it('--task-parallel trains to the one-thread weights bit for bit', () => {
    const steps = ['--steps', '4', '--optimizer', 'came-grad'];
    const straight = runBin([...tinyTrainArgs(data, join(root, 'tp-straight'), steps), '--json']);
    expect(straight.code, straight.stderr).toBe(0);
    const parallel = runBin([...tinyTrainArgs(data, join(root, 'tp-parallel'), [...steps, '--task-parallel']), '--json']);
    expect(parallel.code, parallel.stderr).toBe(0);
    expect(lastJson<TrainJson>(parallel.stdout).weightsDigest).toBe(lastJson<TrainJson>(straight.stdout).weightsDigest);
  });

  it('refuses a corrupt checkpoint with one clear line', () => {
    const dir = join(root, 'corrupt');
    const first = runBin([...tinyTrainArgs(data, dir, ['--steps', '1'])]);
    expect(first.code, first.stderr).toBe(0);
    const path = join(dir, 'checkpoint.bin');
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    const resumed = runBin([...tinyTrainArgs(data, dir, ['--steps', '1']), '--resume']);
    expect(resumed.code).not.toBe(0);
    expect(resumed.stderr).toMatch(/checkpoint .*checkpoint\.bin is corrupt/);
  });

  it('scores and labels report files', () => {
    const hyps = join(root, 'hyps.txt');
    const refs = join(root, 'refs.txt');
    writeFileSync(hyps, 'the heart is enlarged . no pleural effusion .\nno acute cardiopulmonary abnormality .\n');
    writeFileSync(refs, 'the heart is enlarged . small left pleural effusion .\nno acute cardiopulmonary abnormality .\n');
    const score = runBin(['score', '--hyps', hyps, '--refs', refs, '--json']);
    expect(score.code, score.stderr).toBe(0);
    const s = lastJson<{ n: number; nlg: { bleu1: number }; ce: { macro: { f1: number } } }>(score.stdout);
    expect(s.n).toBe(2);
    expect(s.nlg.bleu1).toBeGreaterThan(0.5);
    expect(s.nlg.bleu1).toBeLessThan(1);
    const label = runBin(['label', '--in', refs]);
    expect(label.code, label.stderr).toBe(0);
    const [header, first] = label.stdout.trim().split('\n');
    expect(header?.split(',')).toContain('Pleural Effusion');
    const columns = header?.split(',') ?? [];
    const cells = first?.split(',') ?? [];
    expect(cells[columns.indexOf('Pleural Effusion')]).toBe('1');
    expect(cells[columns.indexOf('Cardiomegaly')]).toBe('1');
    const mismatch = runBin(['score', '--hyps', hyps, '--refs', join(root, 'hyps-one.txt')]);
    expect(mismatch.code).not.toBe(0);
  });
});
