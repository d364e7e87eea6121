import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKBONE_IDS } from '@came-grad/backbones';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runBin, runBinUntilKilled, tinyTrainArgs } from './cli-helpers';

interface TrainJson {
  steps: number;
  weightsDigest: string;
  resumedFrom: number | null;
}

const root = mkdtempSync(join(tmpdir(), 'came-grad-resume-'));
const data = join(root, 'data');

beforeAll(() => {
  // Priors included: DDaTR's longitudinal inputs must survive the resume too.
  const synth = runBin(['synth', '--out', data, '--studies', '40', '--seed', '5', '--image-size', '32']);
  expect(synth.code, synth.stderr).toBe(0);
}, 120_000);

/** Backbones with per-step state (`commitState`), which `--task-parallel` refuses. */
const STATEFUL = new Set(['dcl', 'revtaf']);

/**
 * Every backbone's whole training state (weights, AdamW moments, adapter state such as DCL's
 * queues, data cursor, RNG position) must come back from a checkpoint: a run SIGKILLed after its
 * first checkpoint and resumed ends on the same weights as one that was never interrupted. Where
 * the backbone allows it, the resumed part runs with `--task-parallel`, whose tasks other than `lm`
 * are differentiated in a worker thread: the digest must still be the one-thread run's.
 */
describe.each(BACKBONE_IDS)('came-grad train --backbone %s --resume', (backbone) => {
  it('ends a SIGKILLed run on the digest of the uninterrupted one', async () => {
    const args = (out: string): string[] =>
      tinyTrainArgs(data, out, ['--steps', '4', '--checkpoint-every', '1', '--optimizer', 'came-grad']).map((a) => (a === 'r2gen' ? backbone : a));
    const straight = runBin([...args(join(root, `${backbone}-straight`)), '--json']);
    expect(straight.code, straight.stderr).toBe(0);

    const killedDir = join(root, `${backbone}-killed`);
    const log = join(killedDir, 'log.jsonl');
    await runBinUntilKilled(args(killedDir), () => existsSync(log) && readFileSync(log, 'utf8').includes('"type":"step","step":1,'));
    const resumed = runBin([...args(killedDir), '--resume', '--json', ...(STATEFUL.has(backbone) ? [] : ['--task-parallel'])]);
    expect(resumed.code, resumed.stderr).toBe(0);

    const a = lastJson<TrainJson>(straight.stdout);
    const b = lastJson<TrainJson>(resumed.stdout);
    expect(b.resumedFrom).toBeGreaterThanOrEqual(1);
    expect(b.resumedFrom).toBeLessThan(4);
    expect(b.steps).toBe(4);
    expect(b.weightsDigest).toBe(a.weightsDigest);
  });
});
