// NLG metric throughput over BENCH_SIZE report pairs synthesised from IU X-Ray text.
// Run through `pnpm --filter @came-grad/metrics bench` (bench/run.ts). It imports the built
// package (dist), i.e. what users run, so build first.
import { performance } from 'node:perf_hooks';
import { bleu, ciderD, cleanReportIuXray, createMeteorScorer, METEOR_APPROX_LABEL, rougeL } from '@came-grad/metrics';
import { BENCH_SIZE, synthesiseIuPairs } from './iu-corpus';

// Both sides go through R2Gen's IU X-Ray cleaner, as the R2Gen family scores them.
const pairs = synthesiseIuPairs();
const hyps = pairs.hyps.map(cleanReportIuXray);
const refs = pairs.refs.map((r) => [cleanReportIuXray(r)]);
const words = hyps.reduce((n, h) => n + h.split(' ').length, 0) / hyps.length;

// CPU time of this single-threaded process rather than wall time, so the figures stay meaningful
// on a shared machine; wall time is printed beside it.
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function time(name: string, runs: number, f: () => unknown): void {
  f(); // warm-up: let the JIT compile the hot paths before timing
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    f();
    wall.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  cpu.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  const mid = Math.floor(runs / 2);
  const perSecond = Math.round((BENCH_SIZE / (cpu[mid] as number)) * 1000).toLocaleString('en-US');
  console.log(`  ${name.padEnd(16)} ${(cpu[mid] as number).toFixed(1).padStart(8)} ms CPU  ${perSecond.padStart(9)} pairs/s   (wall ${(wall[mid] as number).toFixed(1)} ms, median of ${runs})`);
}

console.log(`NLG metrics: ${BENCH_SIZE} pairs, IU X-Ray-cleaned, ${words.toFixed(1)} tokens per hypothesis on average`);
time('BLEU-1..4', 5, () => bleu(hyps, refs));
time('ROUGE-L', 5, () => rougeL(hyps, refs));
time('CIDEr-D', 5, () => ciderD(hyps, refs));
const c0 = cpuMs();
const scorer = createMeteorScorer();
scorer.score(hyps.slice(0, 1), refs.slice(0, 1));
console.log(`  METEOR_approx: WordNet 3.0 load ${(cpuMs() - c0).toFixed(0)} ms CPU (once per process)`);
time('METEOR_approx', 3, () => scorer.score(hyps, refs));
const s = { bleu: bleu(hyps, refs).corpus, rouge: rougeL(hyps, refs).corpus, cider: ciderD(hyps, refs).corpus, meteor: scorer.score(hyps, refs).corpus };
console.log(`  sanity: BLEU-4 ${s.bleu[3].toFixed(4)}  ROUGE-L ${s.rouge.toFixed(4)}  CIDEr ${s.cider.toFixed(4)}  ${METEOR_APPROX_LABEL}: ${s.meteor.toFixed(4)}`);
