import type { CeScores, SplitScores, TrivialBaselines } from '@came-grad/cli';
import { OBSERVATIONS } from '@came-grad/metrics';
import type { CheXpertLabel, CheXpertLabels } from '@came-grad/metrics';
import type { DynamicsSummary } from './dynamics';
import type { RunConfig } from './grid';

/** One line of `results.jsonl`: everything measured in one run. */
export interface RunRecord {
  readonly schema: 1;
  readonly id: string;
  readonly variant: string;
  readonly experiments: readonly string[];
  readonly config: RunConfig;
  /** Package versions, Node, and the git commit the run was built from (null outside a checkout). */
  readonly versions: Readonly<Record<string, string | null>>;
  /** The tfjs backend the run trained on (`wasm`, `tensorflow`, `cpu`, …). */
  readonly backend: string;
  readonly host: { readonly platform: string; readonly cpus: number };
  /** Test-split scores of the weights selected on validation CE-F1. */
  readonly metrics: SplitScores;
  readonly baselines: Omit<TrivialBaselines, 'mostFrequentReport'> & {
    /**
     * `labels`: the most frequent report's CheXpert labels ({@link encodeLabels}), which every test
     * study gets; with them the table bootstraps the model against this baseline. Absent in records
     * written before they were kept.
     */
    readonly mostFrequentReport: CeScores & { readonly report?: string; readonly labels?: string };
  };
  /** Per-study CheXpert labels of the test split, for the paired bootstrap (see {@link encodeLabels}). */
  readonly testLabels: { readonly ids: readonly string[]; readonly pred: readonly string[]; readonly ref: readonly string[] };
  readonly train: { readonly losses: Readonly<Record<string, number>>; readonly bestValF1: number | null; readonly resumedFrom: number | null };
  readonly timings: { readonly trainSeconds: number; readonly evalSeconds: number; readonly medianStepMs: number | null };
  /** Peak resident set size of the run's worker process, in MiB. */
  readonly peakRssMiB: number;
  readonly dynamics: DynamicsSummary;
  readonly finishedAt: string;
}

const CODE: Readonly<Record<string, string>> = { '1': '1', '0': '0', '-1': 'u', null: '.' };
const DECODE: Readonly<Record<string, CheXpertLabel>> = { '1': 1, '0': 0, u: -1, '.': null };

/** One character per observation in {@link OBSERVATIONS} order: `1` positive, `0` negative, `u` uncertain, `.` blank. */
export function encodeLabels(labels: CheXpertLabels): string {
  return OBSERVATIONS.map((o) => CODE[String(labels[o])] as string).join('');
}

export function decodeLabels(code: string): CheXpertLabels {
  if (code.length !== OBSERVATIONS.length) throw new Error(`a label code should have ${OBSERVATIONS.length} characters. Found "${code}"`);
  const out: Partial<Record<string, CheXpertLabel>> = {};
  OBSERVATIONS.forEach((o, i) => {
    const value = DECODE[code[i] as string];
    if (value === undefined) throw new Error(`label code character ${i} should be one of 1, 0, u, . Found "${code[i]}"`);
    out[o] = value;
  });
  return out as CheXpertLabels;
}

/** Checks the fields every consumer reads, naming the first one that is missing. */
export function assertRunRecord(value: unknown, source: string): RunRecord {
  const record = value as Partial<RunRecord> | null;
  const fields: (keyof RunRecord)[] = ['id', 'variant', 'config', 'metrics', 'testLabels', 'dynamics', 'timings'];
  for (const field of fields) {
    if (record === null || typeof record !== 'object' || record[field] === undefined) {
      throw new Error(`${source}: a run record should have the field \`${field}\`. Found ${JSON.stringify(value).slice(0, 80)}`);
    }
  }
  if (record?.schema !== 1) throw new Error(`${source}: \`schema\` should be 1. Found ${JSON.stringify(record?.schema)}`);
  return record as RunRecord;
}
