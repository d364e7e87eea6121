/**
 * optim-core benchmark (not a test): `pnpm --filter @came-grad/optim-core bench`.
 * (a) µs per exact CAGrad/CAME-Grad dual solve for K = 2, 3, 5, 8;
 * (b) for K ∈ {2, 4, 8}, D ∈ {1e5, 1e6, 1e7} float32 rows: Gram alone and a full CAME-Grad
 *     `aggregate`, as GB/s of gradient data read, as a ratio to a plain copy of the same K·D floats,
 *     and as a ratio to numpy/BLAS float32 (`J @ J.T`, `w @ J`) timed by one python3 process
 *     (bench/numpy_times.py) in rounds interleaved with ours; all measured in this run. Prints
 *     Markdown tables.
 */
import os from 'node:os';
import { createAggregator } from '../src/aggregators/registry';
import { solveCAGradDual } from '../src/gram/cagrad-dual';
import { gramian, gramianWith } from '../src/gram/gramian';
import type { KernelCache } from '../src/gram/wasm-kernel';
import { normalizeGramian } from '../src/gram/normalize';
import { randomJacobian, seededUniform } from '../src/testing/random-matrix';
import { NumpyTimer } from './numpy-timer';

/** Best (minimum) and median wall time in ms over `rounds` runs of `fn`. */
function time(fn: () => void, rounds: number): { best: number; median: number } {
  const t: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { best: t[0] as number, median: t[Math.floor(t.length / 2)] as number };
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, `
    + `Node ${process.version} (${os.platform()} ${os.arch()}), load average at start ${os.loadavg()[0]?.toFixed(1)}`;
}

function dualSolves(): void {
  console.log('\n### (a) Exact dual solve (normalised Gram, ρ = 0.5), µs per call\n');
  console.log('| K | solveCAGradDual best | median | full CAME-Grad K-space weights, median |');
  console.log('|---|---|---|---|');
  for (const K of [2, 3, 5, 8]) {
    const grams = Array.from({ length: 64 }, (_, s) => normalizeGramian(gramian(randomJacobian(1000 * K + s, K, 32))).gram);
    const cs = grams.map((g) => {
      let sum = 0;
      for (const v of g.data) sum += v;
      return (0.5 * Math.sqrt(Math.max(0, sum))) / K;
    });
    const calls = 4000;
    let k = 0;
    const solve = time(() => {
      for (let i = 0; i < calls; i++, k++) solveCAGradDual(grams[k & 63]!, cs[k & 63]!, 1e-7);
    }, 21);
    const weighting = createAggregator('came-grad', {});
    const raw = grams.map((g) => Array.from({ length: K }, (_, i) => Array.from(g.data.subarray(i * K, i * K + K))));
    const full = time(() => {
      for (let i = 0; i < calls / 4; i++, k++) weighting.weights(raw[k & 63]!);
    }, 21);
    const us = (ms: number, n: number) => ((ms * 1000) / n).toFixed(2);
    console.log(`| ${K} | ${us(solve.best, calls)} | ${us(solve.median, calls)} | ${us(full.median, calls / 4)} |`);
  }
}

/** Best and median of a list of times. */
function stats(t: number[]): { best: number; median: number } {
  const s = [...t].sort((a, b) => a - b);
  return { best: s[0] as number, median: s[Math.floor(s.length / 2)] as number };
}

async function throughput(numpy: NumpyTimer | null): Promise<void> {
  console.log('\n### (b) Gram and aggregate on float32 rows (interleaved rounds; ms as best / median; ratios of the best, median in brackets)\n');
  console.log(`Load average at the start of (b): ${loadAverage()}. ${numpy === null ? '' : `Reference: ${numpy.description}.`}\n`);
  console.log('| K | D | copy ms | Gram ms | Gram GB/s | Gram ÷ copy | aggregate ms | aggregate GB/s | aggregate ÷ copy '
    + '| numpy G ms | numpy w@J ms | Gram ÷ numpy G | aggregate ÷ numpy (G + w@J) | aggregate, fresh output ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const K of [2, 4, 8]) {
    for (const D of [1e5, 1e6, 1e7]) {
      const seed = K * 7919 + D;
      const u = seededUniform(seed);
      const rows = Array.from({ length: K }, () => {
        const a = new Float32Array(D);
        for (let d = 0; d < D; d++) a[d] = 2 * u() - 1;
        return a;
      });
      const dst = Array.from({ length: K }, () => new Float32Array(D));
      const out = new Float64Array(D);
      const agg = createAggregator('came-grad', { weights: Array.from({ length: K }, (_, i) => 1 + i) });
      // The Gram alone on a kept kernel, as an aggregator forms it (a one-off gramian() call also compiles).
      const cache: KernelCache = { kernel: undefined };
      const rounds = D >= 1e7 ? 9 : D >= 1e6 ? 11 : 25;
      // Touch every buffer once so that page faults are not billed to the first timed run.
      for (const r of dst) r.fill(0);
      out.fill(0);
      gramianWith(rows, cache);
      agg.aggregate(rows, undefined, { out });
      await numpy?.setup(K, D, seed);
      // Interleaved rounds (copy, Gram, aggregate, numpy, copy, ...) so that load from other processes on a
      // shared machine hits all of them alike.
      const copy: number[] = [], gram: number[] = [], aggr: number[] = [], npGram: number[] = [], npComb: number[] = [];
      for (let r = 0; r < rounds; r++) {
        copy.push(time(() => { for (let i = 0; i < K; i++) dst[i]!.set(rows[i]!); }, 1).best);
        gram.push(time(() => { gramianWith(rows, cache); }, 1).best);
        aggr.push(time(() => { agg.aggregate(rows, undefined, { out }); }, 1).best);
        if (numpy !== null) {
          const n = await numpy.round();
          npGram.push(n.gram);
          npComb.push(n.combine);
        }
      }
      const fresh = time(() => { agg.aggregate(rows); }, D >= 1e7 ? 1 : 3).best;
      const c = stats(copy), g = stats(gram), a = stats(aggr);
      const ms = (x: { best: number; median: number }) => `${x.best.toFixed(2)} / ${x.median.toFixed(2)}`;
      const gb = (t: number) => ((K * D * 4) / (t * 1e6)).toFixed(2);
      const ratio = (x: { best: number; median: number }, y: { best: number; median: number }) =>
        `${(x.best / y.best).toFixed(1)} (${(x.median / y.median).toFixed(1)})`;
      let npCells = '– | – | – | –';
      if (numpy !== null) {
        const ng = stats(npGram), nc = stats(npComb);
        const both = stats(npGram.map((t, i) => t + (npComb[i] as number)));
        npCells = `${ms(ng)} | ${ms(nc)} | ${ratio(g, ng)} | ${ratio(a, both)}`;
      }
      console.log(`| ${K} | ${D.toExponential(0)} | ${ms(c)} | ${ms(g)} | ${gb(g.best)} | ${ratio(g, c)} | `
        + `${ms(a)} | ${gb(a.best)} | ${ratio(a, c)} | ${npCells} | ${fresh.toFixed(2)} |`);
    }
  }
  console.log(`\nLoad average at the end of (b): ${loadAverage()}.`);
}

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(', ');
}

const started = performance.now();
console.log(`## @came-grad/optim-core benchmark\n\nMachine: ${machine()}`);
const numpy = await NumpyTimer.start();
if ('reason' in numpy) console.log(`\nnumpy column skipped: ${numpy.reason}.`);
dualSolves();
try {
  await throughput('timer' in numpy ? numpy.timer : null);
} finally {
  if ('timer' in numpy) await numpy.timer.stop();
}
console.log(`\nTotal bench time ${((performance.now() - started) / 1000).toFixed(1)} s.`);
