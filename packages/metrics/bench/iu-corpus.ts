import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Size of the MIMIC-CXR test split, the benchmark's corpus size. */
export const BENCH_SIZE = 3858;

/** Location of the IU X-Ray annotation (read in place, never copied: its licence forbids it). */
export function iuAnnotationPath(): string {
  return process.env['IU_XRAY_ANNOTATION'] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'data', 'iu_xray', 'annotation.json');
}

/** Deterministic 32-bit LCG (Numerical Recipes constants), so every run sees the same corpus. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * `BENCH_SIZE` (reference, hypothesis) report pairs synthesised from IU X-Ray text: references
 * cycle through all IU reports; each hypothesis recombines the sentences of its reference and of
 * another random report, as a generator's output would mix findings.
 */
export function synthesiseIuPairs(seed = 2026): { refs: string[]; hyps: string[] } {
  const data = JSON.parse(readFileSync(iuAnnotationPath(), 'utf8')) as Record<string, { report: string }[]>;
  const all = ['train', 'val', 'test'].flatMap((s) => (data[s] ?? []).map((r) => r.report));
  const rand = lcg(seed);
  const refs: string[] = [];
  const hyps: string[] = [];
  for (let i = 0; i < BENCH_SIZE; i++) {
    const ref = all[i % all.length]!;
    const other = all[Math.floor(rand() * all.length)]!;
    const sentences = [...ref.split(/(?<=\.)\s+/), ...other.split(/(?<=\.)\s+/)].filter(() => rand() < 0.6);
    refs.push(ref);
    hyps.push(sentences.join(' '));
  }
  return { refs, hyps };
}
