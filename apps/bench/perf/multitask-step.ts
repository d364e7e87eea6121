/**
 * Cost of a multi-task step on the `r2gen` adapter (CLI `--size small`: 64 px, 2 views, 1 channel,
 * d 64, 4 heads, d_ff 128, 2 + 2 layers, T 60, batch 8) on tfjs-wasm with the kernel pack.
 * Contenders, measured in one run, interleaved in rotating order, ratios to `scalar` per round:
 *
 * - `scalar`: one backward of Σ ω_i L_i and one AdamW update (what `linear` should cost).
 * - `linear`: MultiTaskOptimizer with the `linear` method (fast path: one backward, no Gram).
 * - `linear+diag`: the same with `diagnostics: true` (per-task gradients for gradient-dynamics logs).
 * - `came-once`, `came-per-task`: CAME-Grad with per-task parameter gradients, `forward` 'once' / 'per-task'.
 * - `came-repr`: CAME-Grad in representation mode (`step({ encode, heads })`).
 * - `came-tp`: `came-once` with task `cls` differentiated in a worker thread holding a second
 *   replica (`startTaskReplica`): the same weights bit for bit, the second backward on the second core.
 *
 * A step is forward + backward(s) + Gram + combination + AdamW + reading the losses. Every contender
 * trains its own copy of the model (same seed) on the same batch.
 *
 *   pnpm bench:perf [--rounds 12] [--steps 2] [--only scalar,came-once]
 */
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, MultiTaskOptimizer } from '@came-grad/optim-core/tfjs';
import { createR2Gen } from '../../../packages/backbones/src/r2gen/adapter';
import { selectBackend } from '../../../packages/backbones/src/engine/select-backend';
import { startTaskReplica } from '../../../packages/backbones/src/engine/task-parallel/task-replica';
import type { TaskReplica } from '../../../packages/backbones/src/engine/task-parallel/task-replica';
import type { BackboneAdapter, StepContext, TrainBatch } from '../../../packages/backbones/src/contract';

const SMALL = { imageSize: 64, channels: 1, views: 2, maxSeqLength: 60, dModel: 64, heads: 4, dFF: 128, encoderLayers: 2, decoderLayers: 2 };
const BATCH = 8;
const VOCAB = 300;

type Contender = 'scalar' | 'linear' | 'linear+diag' | 'came-once' | 'came-per-task' | 'came-repr' | 'came-tp';
const ALL: readonly Contender[] = ['scalar', 'linear', 'linear+diag', 'came-once', 'came-per-task', 'came-repr', 'came-tp'];

interface Options {
  readonly rounds: number;
  readonly steps: number;
  readonly only: readonly Contender[];
  readonly backend: 'wasm' | 'cpu';
}

function parseOptions(argv: readonly string[]): Options {
  const int = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`\`${flag}\` should be a positive integer. Found '${argv[i + 1]}'.`);
    return n;
  };
  const i = argv.indexOf('--only');
  const only = i < 0 ? ALL : (argv[i + 1] ?? '').split(',').map((name) => {
    if (!ALL.includes(name as Contender)) throw new Error(`\`--only\` should list some of ${ALL.join(', ')}. Found '${name}'.`);
    return name as Contender;
  });
  const b = argv.indexOf('--backend');
  const backend = b < 0 ? 'wasm' : argv[b + 1];
  if (backend !== 'wasm' && backend !== 'cpu') throw new Error(`\`--backend\` should be wasm or cpu. Found '${backend}'.`);
  return { rounds: int('--rounds', 12), steps: int('--steps', 2), only, backend };
}

/** A deterministic batch: noise images, reports of 20-58 words, random CheXpert-like labels. */
function makeBatch(): TrainBatch {
  let s = 12345;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const T = SMALL.maxSeqLength;
  const images = tf.tensor5d(Float32Array.from({ length: BATCH * SMALL.views * SMALL.imageSize ** 2 }, rand), [BATCH, SMALL.views, SMALL.imageSize, SMALL.imageSize, 1]);
  const ids = new Int32Array(BATCH * T);
  const mask = new Float32Array(BATCH * T);
  for (let b = 0; b < BATCH; b++) {
    const len = 20 + Math.floor(rand() * (T - 22));
    for (let t = 1; t <= len; t++) ids[b * T + t] = 1 + Math.floor(rand() * VOCAB);
    for (let t = 0; t <= len + 1 && t < T; t++) mask[b * T + t] = 1;
  }
  const labels = tf.tensor2d(Float32Array.from({ length: BATCH * 14 }, () => (rand() < 0.3 ? 1 : 0)), [BATCH, 14]);
  return { images, reportIds: tf.tensor2d(ids, [BATCH, T], 'int32'), reportMask: tf.tensor2d(mask, [BATCH, T]), aux: { labels14: labels } };
}

interface Trainer {
  step(i: number): number;
  readonly adapter: BackboneAdapter;
  close?(): Promise<void>;
}

async function makeTrainer(who: Contender, batch: TrainBatch, backend: 'wasm' | 'cpu'): Promise<Trainer> {
  const vocab = Array.from({ length: VOCAB }, (_, i) => (i === 0 ? '<unk>' : `w${i}`));
  const config = { vocab, ...SMALL, seed: 3 };
  const adapter = createR2Gen(config);
  const replica: TaskReplica | null = who === 'came-tp'
    ? await startTaskReplica({ worker: new URL('./task-replica-worker.mjs', import.meta.url), adapter, user: { config, backend } })
    : null;
  const omega = adapter.tasks.map((t) => t.weight);
  const variables = adapter.parameters.map((p) => p.variable);
  const inner = new AdamW({ learningRate: 1e-4, weightDecay: 5e-5 });
  const ctxOf = (i: number): StepContext => ({ training: true, step: i, epoch: 0, seed: 1000 + i, commitState: false });
  const names = adapter.tasks.map((t) => t.name);
  const lossesFn = (i: number) => (): tf.Scalar[] => {
    const l = adapter.forward(batch, ctxOf(i)).losses;
    return names.map((n) => l[n] as tf.Scalar);
  };
  if (who === 'scalar') {
    return {
      adapter,
      step(i) {
        let values: Float32Array | Int32Array | Uint8Array = new Float32Array(0);
        const total = inner.minimize(() => {
          const L = lossesFn(i)();
          const stacked = tf.stack(L);
          values = stacked.dataSync();
          return tf.sum(tf.mul(stacked, tf.tensor1d(omega))) as tf.Scalar;
        }, true, variables);
        total?.dispose();
        return values[0] as number;
      },
    };
  }
  const method = who.startsWith('linear') ? { id: 'linear', options: { weights: omega } } : { id: 'came-grad', options: { weights: omega } };
  const optimizer = new MultiTaskOptimizer({
    inner, method, variables,
    ...(who === 'came-per-task' ? { forward: 'per-task' as const } : {}),
    ...(who === 'linear+diag' ? { diagnostics: true } : {}),
  });
  return {
    adapter,
    close: async () => replica?.close(),
    step(i) {
      const remote = replica === null ? {} : { remote: replica.begin(batch, ctxOf(i), names.slice(1), names) };
      const result = who === 'came-repr'
        ? optimizer.step({
          encode: () => adapter.encodeShared!(batch, ctxOf(i)),
          heads: (z) => { const l = adapter.lossesFromShared!(z, batch, ctxOf(i)); return names.map((n) => l[n] as tf.Scalar); },
        }, { weights: omega })
        : optimizer.step(lossesFn(i), { weights: omega, ...remote });
      if (!result.applied) throw new Error(`${who}: step ${i} was skipped (${result.skipped})`);
      return result.losses[0] as number;
    },
  };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Runs the comparison; prints one line a round and a JSON summary. */
export async function main(argv: readonly string[]): Promise<void> {
  const opts = parseOptions(argv);
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const selection = await selectBackend(opts.backend);
  out(`backend: ${selection.backend} (${selection.reason}); node ${process.version}; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const batch = makeBatch();
  const contenders = opts.only.includes('scalar') ? opts.only : (['scalar', ...opts.only] as Contender[]);
  const trainers = new Map<Contender, Trainer>();
  for (const who of contenders) trainers.set(who, await makeTrainer(who, batch, opts.backend));
  const first = trainers.get('scalar') as Trainer;
  const params = first.adapter.parameters.reduce((n, p) => n + p.variable.size, 0);
  const kernels: Record<string, number> = {};
  let counter = 0;
  for (const [who, t] of trainers) {
    t.step(counter++);
    const profile = await tf.profile(() => void t.step(counter++));
    kernels[who] = profile.kernels.length;
  }
  out(`r2gen small: ${params} parameters, tasks ${first.adapter.tasks.map((t) => `${t.name}×${t.weight}`).join(' + ')}, batch ${BATCH}`);
  out(`kernels per step: ${contenders.map((w) => `${w} ${kernels[w]}`).join(', ')}`);
  out(`${opts.rounds} rounds × ${opts.steps} steps, rotating order; ms = median within a round; ratio = / scalar of the same round`);
  const rows: Record<string, number>[] = [];
  const cpuRows: Record<string, number>[] = [];
  const loads: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const row: Record<string, number> = {};
    const cpuRow: Record<string, number> = {};
    for (let j = 0; j < contenders.length; j++) {
      const who = contenders[(r + j) % contenders.length] as Contender;
      const t = trainers.get(who) as Trainer;
      const times: number[] = [];
      const cpu: number[] = [];
      for (let s = 0; s < opts.steps; s++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        t.step(counter++);
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
      row[who] = median(times);
      cpuRow[who] = median(cpu);
    }
    rows.push(row);
    cpuRows.push(cpuRow);
    loads.push(loadavg()[0] as number);
    const ratios = (x: Record<string, number>): string =>
      contenders.filter((w) => w !== 'scalar').map((w) => `${w} ×${((x[w] as number) / (x['scalar'] as number)).toFixed(3)}`).join(', ');
    out(`round ${r + 1} wall: ${contenders.map((w) => `${w} ${(row[w] as number).toFixed(0)}`).join(', ')} | ${ratios(row)} | load ${loads.at(-1)?.toFixed(1)}`);
    out(`round ${r + 1} cpu:  ${contenders.map((w) => `${w} ${(cpuRow[w] as number).toFixed(0)}`).join(', ')} | ${ratios(cpuRow)}`);
  }
  const summarise = (table: Record<string, number>[]): Record<string, { ms: number; ratio: number }> =>
    Object.fromEntries(contenders.map((who) => [who, {
      ms: median(table.map((row) => row[who] as number)),
      ratio: median(table.map((row) => (row[who] as number) / (row['scalar'] as number))),
    }]));
  const summary = summarise(rows);
  const cpuSummary = summarise(cpuRows);
  // On a shared machine the process's CPU time per step (user + system) is far steadier than wall time.
  out('median over rounds (wall ms, ×scalar | process cpu ms, ×scalar):');
  for (const who of contenders) {
    out(`  ${who.padEnd(14)} ${summary[who]?.ms.toFixed(1).padStart(8)}  ×${summary[who]?.ratio.toFixed(3)} | ${cpuSummary[who]?.ms.toFixed(1).padStart(8)}  ×${cpuSummary[who]?.ratio.toFixed(3)}`);
  }
  // The issue's targets divide by `linear`: the per-round ratio of two contenders, medianed.
  const overLinear: Record<string, number> = {};
  if (contenders.includes('linear')) {
    for (const who of contenders.filter((w) => w.startsWith('came-'))) {
      overLinear[who] = median(rows.map((row) => (row[who] as number) / (row['linear'] as number)));
    }
    out(`wall ÷ linear: ${Object.entries(overLinear).map(([who, r]) => `${who} ×${r.toFixed(3)}`).join(', ')} (targets: per-task ≤ 1.2, representation ≤ 1.1)`);
  }
  for (const t of trainers.values()) await t.close?.();
  out(JSON.stringify({ backend: selection.backend, params, batch: BATCH, rounds: opts.rounds, steps: opts.steps, kernels, wall: summary, cpu: cpuSummary, overLinear, load: { min: Math.min(...loads), max: Math.max(...loads) } }));
}
