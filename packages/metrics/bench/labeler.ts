// Labeler and CE throughput over BENCH_SIZE reports synthesised from IU X-Ray text.
// Run: pnpm --filter @came-grad/metrics build && pnpm --filter @came-grad/metrics bench (bench/run.ts), or tsx bench/labeler.ts alone.
// It imports the built package (dist), i.e. what users run.
import { performance } from 'node:perf_hooks';
import { CE_PROTOCOLS, LABELER_VERSION, clinicalEfficacy, labelReports } from '@came-grad/metrics';
import { BENCH_SIZE, synthesiseIuPairs } from './iu-corpus';

const { refs, hyps } = synthesiseIuPairs();
const reports = [...refs, ...hyps];

// One warm-up pass so the JIT has compiled the hot paths before timing.
labelReports(reports.slice(0, 500));

// CPU time of this (single-threaded) process, not wall time: the figure stays meaningful on a
// shared machine where other processes take turns on the core.
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times: number[] = [];
const wall: number[] = [];
let refLabels = labelReports(refs);
let hypLabels = labelReports(hyps);
for (let run = 0; run < 5; run++) {
  const c0 = cpuMs();
  const t0 = performance.now();
  refLabels = labelReports(refs);
  hypLabels = labelReports(hyps);
  wall.push(performance.now() - t0);
  times.push(cpuMs() - c0);
}
times.sort((a, b) => a - b);
wall.sort((a, b) => a - b);
const median = times[2]!;
const perSecond = (reports.length / median) * 1000;

const ceTimes: number[] = [];
for (let run = 0; run < 5; run++) {
  const t0 = performance.now();
  for (const protocol of Object.values(CE_PROTOCOLS)) clinicalEfficacy(hypLabels, refLabels, protocol);
  ceTimes.push(performance.now() - t0);
}
ceTimes.sort((a, b) => a - b);

const ce = clinicalEfficacy(hypLabels, refLabels, CE_PROTOCOLS['came-grad']);
console.log(`labeler ${LABELER_VERSION}: ${reports.length} reports (${BENCH_SIZE} refs + ${BENCH_SIZE} hyps), median of 5 runs`);
console.log(`  ${median.toFixed(1)} ms CPU  →  ${Math.round(perSecond).toLocaleString('en-US')} reports per CPU-second (one core; wall ${wall[2]!.toFixed(1)} ms)`);
console.log(`clinicalEfficacy, all ${Object.keys(CE_PROTOCOLS).length} protocols on ${BENCH_SIZE} pairs: ${ceTimes[2]!.toFixed(2)} ms`);
console.log(`  sanity: CAME-Grad-protocol CE on the synthetic pairs P=${ce.precision.toFixed(4)} R=${ce.recall.toFixed(4)} F1=${ce.f1.toFixed(4)}`);
