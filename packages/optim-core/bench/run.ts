/**
 * optim-core benchmark (not a test): `pnpm --filter @came-grad/optim-core bench`.
 * (a) µs per exact CAGrad/CAME-Grad dual solve for K = 2, 3, 5, 8;
 * (b) for K ∈ {2, 4, 8}, D ∈ {1e5, 1e6, 1e7} float32 rows: Gram alone and a full CAME-Grad
 *     `aggregate`, as GB/s of gradient data read and as a ratio to a plain copy of the same K·D
 *     floats, all measured in this run. Prints Markdown tables.
 */
import os from 'node:os';
import { createAggregator } from '../src/aggregators/registry';
import { solveCAGradDual } from '../src/gram/cagrad-dual';
import { gramian } from '../src/gram/gramian';
import { normalizeGramian } from '../src/gram/normalize';
import { randomJacobian, seededUniform } from '../src/testing/random-matrix';

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

function throughput(): void {
  console.log('\n### (b) Gram and aggregate on float32 rows (best of interleaved rounds; ratio = time / plain copy of K·D floats)\n');
  console.log('| K | D | copy ms | Gram ms | Gram GB/s | Gram ÷ copy | aggregate ms | aggregate GB/s | aggregate ÷ copy | aggregate, fresh output ms | fresh ÷ copy |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const K of [2, 4, 8]) {
    for (const D of [1e5, 1e6, 1e7]) {
      const u = seededUniform(K * 7919 + D);
      const rows = Array.from({ length: K }, () => {
        const a = new Float32Array(D);
        for (let d = 0; d < D; d++) a[d] = 2 * u() - 1;
        return a;
      });
      const dst = Array.from({ length: K }, () => new Float32Array(D));
      const out = new Float64Array(D);
      const agg = createAggregator('came-grad', { weights: Array.from({ length: K }, (_, i) => 1 + i) });
      const rounds = D >= 1e7 ? 5 : D >= 1e6 ? 9 : 25;
      // Touch every buffer once so that page faults are not billed to the first timed run.
      for (const r of dst) r.fill(0);
      out.fill(0);
      gramian(rows);
      agg.aggregate(rows, undefined, { out });
      // Interleaved rounds (copy, Gram, aggregate, copy, ...) so that load from other processes on a
      // shared machine hits all three alike; the best round of each is reported.
      let copy = Infinity, gram = Infinity, aggr = Infinity;
      for (let r = 0; r < rounds; r++) {
        copy = Math.min(copy, time(() => { for (let i = 0; i < K; i++) dst[i]!.set(rows[i]!); }, 1).best);
        gram = Math.min(gram, time(() => { gramian(rows); }, 1).best);
        aggr = Math.min(aggr, time(() => { agg.aggregate(rows, undefined, { out }); }, 1).best);
      }
      const fresh = time(() => { agg.aggregate(rows); }, D >= 1e7 ? 1 : 3).best;
      const gb = (ms: number) => ((K * D * 4) / (ms * 1e6)).toFixed(2);
      console.log(`| ${K} | ${D.toExponential(0)} | ${copy.toFixed(2)} | ${gram.toFixed(2)} | ${gb(gram)} | ${(gram / copy).toFixed(1)} | `
        + `${aggr.toFixed(2)} | ${gb(aggr)} | ${(aggr / copy).toFixed(1)} | ${fresh.toFixed(2)} | ${(fresh / copy).toFixed(1)} |`);
    }
  }
}

const started = performance.now();
console.log(`## @came-grad/optim-core benchmark\n\nMachine: ${machine()}`);
dualSolves();
throughput();
console.log(`\nTotal bench time ${((performance.now() - started) / 1000).toFixed(1)} s.`);
