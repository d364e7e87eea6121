/**
 * The 14 CheXpert labels of each report, from `@came-grad/metrics`' labeler, cached on disk.
 *
 * The cache is one JSON file per labeler version (`chexpert-labels.<version>.json`) mapping a
 * SHA-256 of the report text to its 14 labels, so a changed report, or a new labeler version, is
 * never served a stale label. It is rewritten atomically (temp file + rename) when new reports
 * were labelled, so a crash never leaves a truncated cache.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LABELER_VERSION, OBSERVATIONS, labelReports } from '@came-grad/metrics';
import type { CheXpertLabel } from '@came-grad/metrics';

/** Code stored in `labels14` for an observation the report does not mention (CheXpert blank). */
export const LABEL_BLANK = -2;

/** One report's labels in CheXpert column order, coded 1 / 0 / −1 / {@link LABEL_BLANK}. */
export type LabelCodes = readonly number[];

function code(label: CheXpertLabel): number {
  return label === null ? LABEL_BLANK : label;
}

/** Key of a report in the cache. */
export function reportHash(report: string): string {
  return createHash('sha256').update(report, 'utf8').digest('hex').slice(0, 32);
}

interface CacheFile {
  labelerVersion: string;
  observations: readonly string[];
  labels: Record<string, number[]>;
}

async function readCache(path: string): Promise<Map<string, number[]>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return new Map();
  }
  try {
    const parsed = JSON.parse(text) as CacheFile;
    // A cache written for another labeler or column order is ignored and replaced, never trusted.
    if (parsed.labelerVersion !== LABELER_VERSION || JSON.stringify(parsed.observations) !== JSON.stringify(OBSERVATIONS)) return new Map();
    return new Map(Object.entries(parsed.labels));
  } catch {
    return new Map();
  }
}

/** Statistics of one labelling pass. */
export interface LabelStats {
  readonly reports: number;
  readonly fromCache: number;
  readonly labelled: number;
}

/**
 * Labels `reports` (one row of 14 codes each, into a flat Int8Array [N, 14]). With `cacheDir`,
 * reads the cache first, labels only the reports it lacks, and writes the cache back.
 */
export async function labelAll(reports: readonly string[], cacheDir?: string): Promise<{ codes: Int8Array; stats: LabelStats }> {
  const path = cacheDir === undefined ? undefined : join(cacheDir, `chexpert-labels.${LABELER_VERSION}.json`);
  const cache = path === undefined ? new Map<string, number[]>() : await readCache(path);
  const hashes = reports.map(reportHash);
  const missing: number[] = [];
  const missingText = new Map<string, number>();
  hashes.forEach((h, i) => {
    if (!cache.has(h) && !missingText.has(h)) {
      missingText.set(h, i);
      missing.push(i);
    }
  });
  if (missing.length > 0) {
    const labels = labelReports(missing.map((i) => reports[i] as string));
    labels.forEach((row, k) => {
      cache.set(hashes[missing[k] as number] as string, OBSERVATIONS.map((o) => code(row[o])));
    });
    if (path !== undefined && cacheDir !== undefined) {
      await mkdir(cacheDir, { recursive: true });
      const body: CacheFile = { labelerVersion: LABELER_VERSION, observations: OBSERVATIONS, labels: Object.fromEntries(cache) };
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, JSON.stringify(body));
      await rename(tmp, path);
    }
  }
  const codes = new Int8Array(reports.length * OBSERVATIONS.length);
  hashes.forEach((h, i) => codes.set(cache.get(h) as number[], i * OBSERVATIONS.length));
  return { codes, stats: { reports: reports.length, fromCache: reports.length - missing.length, labelled: missing.length } };
}
