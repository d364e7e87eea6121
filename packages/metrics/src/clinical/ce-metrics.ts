import { MetricsInputError, MetricsOptionError, describeValue } from '../errors';
import { OBSERVATIONS, OBSERVATION_KEYS } from '../labeler/observations';
import type { CheXpertLabel, CheXpertLabels, KeyedLabels, Label } from '../labeler/observations';
import { clinicalEfficacy } from './clinical-efficacy';
import type { CePositive, ClinicalEfficacyResult } from './clinical-efficacy';
import type { CeAverage } from './score';

/** Options of {@link ceMetrics}, in the spec's enum spelling (`clinical-metrics.md` §7). */
export interface CeMetricsOptions {
  /** `'pos'`: positive ⇔ pos; `'pos_or_unc'`: positive ⇔ pos or unc. Applies to hypotheses (and references unless `gtPositive`). */
  readonly positive: 'pos' | 'pos_or_unc';
  /** Binarisation of the references when it differs (DDaTR: `positive: 'pos_or_unc', gtPositive: 'pos'`). */
  readonly gtPositive?: 'pos' | 'pos_or_unc';
  readonly average: CeAverage;
  /** `'chexpert14'` (default) or the five competition observations. */
  readonly labels?: 'chexpert14' | 'five';
  /** Name and version of the labeler that produced the labels, recorded in the result. */
  readonly labeler?: string;
  readonly labelerVersion?: string;
}

const VALUE: Readonly<Record<Label, CheXpertLabel>> = { pos: 1, neg: 0, unc: -1, blank: null };
const KEYS = new Set<string>(OBSERVATION_KEYS);

function toCheXpert(records: unknown, field: string): CheXpertLabels[] {
  if (!Array.isArray(records)) throw new MetricsInputError(field, 'an array of label records', describeValue(records));
  return records.map((record: unknown, n) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new MetricsInputError(field, 'a label record keyed by observation key', describeValue(record), n);
    }
    const r = record as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!KEYS.has(key)) {
        throw new MetricsInputError(field, 'a label record keyed by observation keys (e.g. "pleural_effusion")', `the key ${JSON.stringify(key)}`, n);
      }
    }
    const out = {} as CheXpertLabels;
    OBSERVATION_KEYS.forEach((key, k) => {
      const v = r[key];
      if (typeof v !== 'string' || !Object.hasOwn(VALUE, v)) {
        throw new MetricsInputError(field, `a label record whose "${key}" is 'pos', 'neg', 'unc' or 'blank'`, describeValue(v), n);
      }
      out[OBSERVATIONS[k]!] = VALUE[v as Label];
    });
    return out;
  });
}

function positiveOf(option: string, value: unknown): CePositive | undefined {
  if (value === undefined) return undefined;
  if (value === 'pos') return 'positive';
  if (value === 'pos_or_unc') return 'positive-or-uncertain';
  throw new MetricsOptionError(option, "'pos' or 'pos_or_unc'", value);
}

/**
 * CE metrics in the spec's signature (`clinical-metrics.md` §7): references first, labels in
 * the project's enum encoding keyed by snake-case observation key, as `labelReport` returns them.
 * Same numbers as `clinicalEfficacy(hyps, refs, …)`.
 *
 * @throws MetricsInputError on a length mismatch or a malformed record (naming field and index)
 * @throws MetricsOptionError on an unknown option value
 */
export function ceMetrics(
  refs: readonly KeyedLabels[],
  hyps: readonly KeyedLabels[],
  opts: CeMetricsOptions,
): ClinicalEfficacyResult {
  if (typeof opts !== 'object' || opts === null) throw new MetricsOptionError('opts', 'an options object', opts);
  if (Array.isArray(refs) && Array.isArray(hyps) && refs.length !== hyps.length) {
    throw new MetricsInputError('hyps', `an array of the same length as refs (${refs.length})`, `length ${hyps.length}`);
  }
  if (opts.labels !== undefined && opts.labels !== 'chexpert14' && opts.labels !== 'five') {
    throw new MetricsOptionError('labels', "'chexpert14' or 'five'", opts.labels);
  }
  const positive = positiveOf('positive', opts.positive);
  if (positive === undefined) throw new MetricsOptionError('positive', "'pos' or 'pos_or_unc'", opts.positive);
  const refPositive = positiveOf('gtPositive', opts.gtPositive);
  return clinicalEfficacy(toCheXpert(hyps, 'hyps'), toCheXpert(refs, 'refs'), {
    positive,
    ...(refPositive === undefined ? {} : { refPositive }),
    average: opts.average,
    observations: opts.labels === 'five' ? 5 : 14,
    ...(opts.labeler === undefined ? {} : { labeler: opts.labeler }),
    ...(opts.labelerVersion === undefined ? {} : { labelerVersion: opts.labelerVersion }),
  });
}
