/**
 * Step-time comparison of the engine's reference model: tfjs-wasm with only the kernels training
 * cannot run without ("stock"), tfjs-wasm with the full kernel pack ("pack"), and the PyTorch twin
 * (apps/bench/perf/torch_twin.py, one thread), measured in one run in interleaved rounds whose
 * order rotates. A step is forward + backward + Adam + reading the loss.
 *
 * With `--workers 2` a fourth contender joins: the pack on 2 data-parallel worker threads
 * (`startReplicaGroup`, each on half the batch, gradients averaged through shared memory).
 *
 *   pnpm --filter @came-grad/backbones bench:perf [--rounds 15] [--steps 3] [--no-torch] [--workers 2]
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs-core';
import { startReplicaGroup } from '../src/engine/data-parallel/group.js';
import type { ReplicaGroup } from '../src/engine/data-parallel/group.js';
import { installWasmKernelPack } from '../src/engine/kernel-pack.js';
import { gelu } from '../src/blocks/gelu.js';
import { layerNormalize } from '../src/blocks/layer-norm.js';
import { maskedSoftmaxCrossEntropy } from '../src/blocks/softmax-cross-entropy.js';
import { createReferenceModel, PLAIN_REFERENCE_OPS, REFERENCE_CONFIG, referenceBatch } from '../src/engine/reference-model.js';
import type { ReferenceOps } from '../src/engine/reference-model.js';
import { selectBackend } from '../src/engine/select-backend.js';

interface Options {
  rounds: number;
  steps: number;
  torch: boolean;
  workers: number;
  python: string;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`\`${flag}\` should be a positive integer. Found '${argv[i + 1]}'.`);
    return n;
  };
  return {
    rounds: value('--rounds', 15),
    steps: value('--steps', 3),
    torch: !argv.includes('--no-torch'),
    workers: argv.includes('--workers') ? value('--workers', 2) : 0,
    python: process.env['TORCH_PYTHON'] ?? '/usr/bin/python3',
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

type Config = 'stock' | 'pack' | 'blocks';

/**
 * The building blocks' customGrad GELU, LayerNorm (R2Gen's variant: unbiased std, ε on the std; the
 * same cost) and softmax cross-entropy, in place of the plain-op versions.
 */
const BLOCK_OPS: ReferenceOps = {
  gelu: (x) => gelu(x),
  normalize: (x) => layerNormalize(x, 1e-5),
  crossEntropy: (logits, targets) => maskedSoftmaxCrossEntropy(logits, targets, tf.ones([targets.shape[0]]) as tf.Tensor1D),
};

function makeTrainer(scope: string, ops: ReferenceOps = PLAIN_REFERENCE_OPS) {
  const model = createReferenceModel(REFERENCE_CONFIG, 1, scope, ops);
  const batch = referenceBatch(REFERENCE_CONFIG);
  const optimizer = tf.train.adam(1e-3);
  let lastLoss = Number.NaN;
  const step = (): void => {
    const loss = optimizer.minimize(() => model.loss(batch), true, [...model.variables]);
    lastLoss = loss!.dataSync()[0]!;
    loss!.dispose();
  };
  return { model, step, loss: () => lastLoss };
}

class TorchTwin {
  private readonly lines: AsyncIterableIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }
  static async start(python: string, script: string): Promise<{ twin: TorchTwin; info: Record<string, unknown> }> {
    const child = spawn(python, [script, '--serve', '--threads', '1'], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    const failed = new Promise<never>((_, reject) => child.once('error', reject));
    const twin = new TorchTwin(child);
    const info = JSON.parse(await Promise.race([twin.next(), failed])) as Record<string, unknown>;
    return { twin, info };
  }
  private async next(): Promise<string> {
    const r = await this.lines.next();
    if (r.done === true) throw new Error('torch_twin.py exited before answering');
    return r.value;
  }
  async steps(n: number): Promise<number[]> {
    this.child.stdin.write(`STEPS ${n}\n`);
    return (JSON.parse(await this.next()) as { ms: number[] }).ms;
  }
  stop(): void {
    this.child.stdin.write('QUIT\n');
    this.child.stdin.end();
  }
}

/** Paths the runner resolves: the torch twin script and the bundled data-parallel worker. */
export interface BenchPaths {
  readonly torchTwin: string;
  readonly dataParallelWorker: string;
}

type Contender = 'stock' | 'pack' | 'blocks' | 'dp' | 'torch';

/** Runs the comparison and prints per-round figures and a JSON summary line. */
export async function main(argv: string[], paths: BenchPaths): Promise<void> {
  const opts = parseOptions(argv);
  const selection = await selectBackend('wasm', { kernelPack: false });
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  out(`backend: ${selection.backend} (${selection.reason}); node ${process.version}`);
  const trainers = { stock: makeTrainer('stock'), pack: makeTrainer('pack'), blocks: makeTrainer('blocks', BLOCK_OPS) };
  const params = trainers.pack.model.variables.reduce((n, v) => n + v.size, 0);
  const use = (config: Config): void => {
    installWasmKernelPack({ speedups: config !== 'stock' });
  };
  const kernelsPerStep: Record<Config, number> = { stock: 0, pack: 0, blocks: 0 };
  for (const config of ['stock', 'pack', 'blocks'] as const) {
    use(config);
    for (let i = 0; i < 2; i++) trainers[config].step();
    const profile = await tf.profile(() => {
      trainers[config].step();
    });
    kernelsPerStep[config] = profile.kernels.length;
  }
  let twin: TorchTwin | undefined;
  if (opts.torch) {
    try {
      const started = await TorchTwin.start(opts.python, paths.torchTwin);
      twin = started.twin;
      out(`torch twin: ${JSON.stringify(started.info)}`);
    } catch (error) {
      out(
        `torch twin unavailable (${error instanceof Error ? error.message : String(error)}): install Debian's python3-torch and libopenblas0-pthread, set TORCH_PYTHON, or pass --no-torch; continuing without it`,
      );
    }
  }
  let group: ReplicaGroup | undefined;
  if (opts.workers >= 1) {
    group = await startReplicaGroup({ worker: paths.dataParallelWorker, replicas: opts.workers, size: params });
    // As many steps as the single-process trainers have taken (2 warm-ups + 1 profiled), so that the
    // final losses are comparable.
    for (let i = 0; i < 3; i++) await group.step();
    out(`data parallel: ${opts.workers} worker threads, batch ${REFERENCE_CONFIG.batch / opts.workers} each`);
  }
  out(
    `reference model: ${params} parameters; kernels per step: stock ${kernelsPerStep.stock}, pack ${kernelsPerStep.pack}, blocks ${kernelsPerStep.blocks}`,
  );
  out(`${opts.rounds} rounds x ${opts.steps} steps per contender, order rotating; ms/step = median within a round`);
  const order: Contender[] = ['stock', 'pack', 'blocks'];
  if (group !== undefined) order.push('dp');
  if (twin !== undefined) order.push('torch');
  const rows: Record<Contender, number>[] = [];
  let dpLoss = Number.NaN;
  try {
    for (let r = 0; r < opts.rounds; r++) {
      const row: Record<Contender, number> = {
        stock: Number.NaN,
        pack: Number.NaN,
        blocks: Number.NaN,
        dp: Number.NaN,
        torch: Number.NaN,
      };
      for (let j = 0; j < order.length; j++) {
        const who = order[(r + j) % order.length]!;
        if (who === 'torch') {
          row.torch = median(await twin!.steps(opts.steps));
          continue;
        }
        const times: number[] = [];
        if (who === 'dp') {
          for (let s = 0; s < opts.steps; s++) {
            const t0 = performance.now();
            dpLoss = await group!.step();
            times.push(performance.now() - t0);
          }
        } else {
          use(who);
          for (let s = 0; s < opts.steps; s++) {
            const t0 = performance.now();
            trainers[who].step();
            times.push(performance.now() - t0);
          }
        }
        row[who] = median(times);
      }
      rows.push(row);
      const parts = order.map((c) => `${c} ${row[c].toFixed(1)}`);
      const ratios = [`stock/pack ${(row.stock / row.pack).toFixed(2)}`];
      ratios.push(`pack/blocks ${(row.pack / row.blocks).toFixed(2)}`);
      if (twin !== undefined) ratios.push(`pack/torch ${(row.pack / row.torch).toFixed(2)}`);
      if (twin !== undefined) ratios.push(`blocks/torch ${(row.blocks / row.torch).toFixed(2)}`);
      if (group !== undefined) ratios.push(`pack/dp ${(row.pack / row.dp).toFixed(2)}`);
      if (group !== undefined && twin !== undefined) ratios.push(`dp/torch ${(row.dp / row.torch).toFixed(2)}`);
      out(`round ${String(r + 1).padStart(2)}: ${parts.join(' ')} | ${ratios.join(' ')}`);
    }
  } finally {
    twin?.stop();
    await group?.close();
  }
  const col = (f: (x: Record<Contender, number>) => number): number => median(rows.map(f));
  const summary = {
    rounds: rows.length,
    stepsPerRound: opts.steps,
    params,
    kernelsPerStep,
    msPerStep: {
      stock: col((x) => x.stock),
      pack: col((x) => x.pack),
      blocks: col((x) => x.blocks),
      dp: col((x) => x.dp),
      torch: col((x) => x.torch),
    },
    medianRatios: {
      stockOverPack: col((x) => x.stock / x.pack),
      packOverTorch: col((x) => x.pack / x.torch),
      packOverBlocks: col((x) => x.pack / x.blocks),
      blocksOverTorch: col((x) => x.blocks / x.torch),
      stockOverTorch: col((x) => x.stock / x.torch),
      packOverDp: col((x) => x.pack / x.dp),
      dpOverTorch: col((x) => x.dp / x.torch),
    },
    finalLoss: { stock: trainers.stock.loss(), pack: trainers.pack.loss(), blocks: trainers.blocks.loss(), dp: dpLoss },
  };
  out(`summary: ${JSON.stringify(summary)}`);
}
