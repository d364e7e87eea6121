import { MetricsInputError, MetricsOptionError, describeValue } from '../errors';
import { LABELER_VERSION } from '../labeler/label-report';
import { FIVE_OBSERVATIONS, OBSERVATIONS } from '../labeler/observations';
import type { CheXpertLabel, CheXpertLabels, Observation } from '../labeler/observations';
import { scoreBinary } from './score';
import type { CeAverage, ClassScores } from './score';

/**
 * Which labels count as positive when a label matrix is binarised (spec §5):
 * `'positive'` → 1 only (R2Gen, PromptMRG); `'positive-or-uncertain'` → 1 or −1 (CAME-Grad,
 * DDaTR's predictions, `f1chexbert`). Negative and blank are always 0.
 */
export type CePositive = 'positive' | 'positive-or-uncertain';

/** Options of {@link clinicalEfficacy}. Defaults are the CAME-Grad protocol. */
export interface ClinicalEfficacyOptions {
  /** Binarisation of the predictions (and of the references unless `refPositive` is set). Default `'positive-or-uncertain'`. */
  readonly positive?: CePositive;
  /** Binarisation of the references when it differs from the predictions' (DDaTR). Default: `positive`. */
  readonly refPositive?: CePositive;
  /** `'micro'` pools all cells, `'macro'` averages per-observation scores, `'example'` averages per-report scores. Default `'macro'`. */
  readonly average?: CeAverage;
  /** All 14 CheXpert observations, or the 5 competition ones. Default 14. */
  readonly observations?: 14 | 5;
  /** Name of the labeler that produced the labels, recorded in the result. Default `'chexpert-style'`. */
  readonly labeler?: string;
  /** Version of that labeler, recorded in the result. Default {@link LABELER_VERSION}. */
  readonly labelerVersion?: string;
}

/** Result of {@link clinicalEfficacy}. */
export interface ClinicalEfficacyResult {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /**
   * Subset accuracy: the fraction of reports whose binarised prediction equals the reference on
   * every selected observation (sklearn's multilabel `accuracy_score`, which `f1chexbert` reports
   * on the 5 observations).
   */
  readonly accuracy: number;
  readonly numExamples: number;
  readonly numLabels: number;
  /** Scores of each selected observation, in CheXpert order. */
  readonly perClass: readonly ClassScores[];
  /** The configuration the numbers were computed with; report it alongside them. */
  readonly config: {
    readonly positive: CePositive;
    readonly refPositive: CePositive;
    readonly average: CeAverage;
    readonly observations: 14 | 5;
    readonly labeler: string;
    readonly labelerVersion: string;
  };
}

const FIVE_IN_ORDER: readonly Observation[] = OBSERVATIONS.filter((o) => (FIVE_OBSERVATIONS as readonly string[]).includes(o));
const NAMES = new Set<string>(OBSERVATIONS);
const VALID = new Set<unknown>([1, 0, -1, null]);

function oneOf<T>(option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new MetricsOptionError(option, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
  }
  return value as T;
}

/**
 * Checks a label matrix and binarises it over `selected`.
 *
 * @throws MetricsInputError naming `field`, the report index and the observation at fault
 */
function binarise(
  records: unknown,
  field: string,
  selected: readonly Observation[],
  positive: CePositive,
): Uint8Array[] {
  if (!Array.isArray(records)) throw new MetricsInputError(field, 'an array of label records', describeValue(records));
  const uncertainIsPositive = positive === 'positive-or-uncertain';
  return records.map((record: unknown, n) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new MetricsInputError(field, 'a label record keyed by CheXpert observation name', describeValue(record), n);
    }
    const r = record as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!NAMES.has(key)) {
        throw new MetricsInputError(field, 'a label record keyed by CheXpert observation names (e.g. "Pleural Effusion")', `the key ${JSON.stringify(key)}`, n);
      }
      if (!VALID.has(r[key])) {
        throw new MetricsInputError(field, `a label record whose "${key}" is 1, 0, -1 or null`, describeValue(r[key]), n);
      }
    }
    const row = new Uint8Array(selected.length);
    selected.forEach((o, c) => {
      const v = r[o] as CheXpertLabel | undefined;
      if (v === undefined) {
        throw new MetricsInputError(field, `a label record with a label for "${o}" (1, 0, -1 or null)`, 'no such key', n);
      }
      row[c] = v === 1 || (uncertainIsPositive && v === -1) ? 1 : 0;
    });
    return row;
  });
}

/**
 * Clinical-efficacy precision, recall and F1 of predicted against reference label records
 * (spec `clinical-metrics.md` §5), in every variant RRG papers use; see `CE_PROTOCOLS` for the
 * settings of each paper. Safe division everywhere (x / 0 → 0), F1 = TP / (TP + ½(FP + FN)).
 *
 * @param predLabels labels of the generated reports (e.g. from `labelReports`, or CheXbert
 *   labels computed elsewhere), one record per report
 * @param refLabels labels of the reference reports, same length and order
 * @throws MetricsInputError on a length mismatch, a non-record entry, an unknown observation name,
 *   a missing selected observation or a label outside {1, 0, -1, null} (naming field and index)
 * @throws MetricsOptionError on an unknown option value
 */
export function clinicalEfficacy(
  predLabels: readonly CheXpertLabels[],
  refLabels: readonly CheXpertLabels[],
  options: ClinicalEfficacyOptions = {},
): ClinicalEfficacyResult {
  const positive = oneOf<CePositive>('positive', options.positive, ['positive', 'positive-or-uncertain'], 'positive-or-uncertain');
  const refPositive = oneOf<CePositive>('refPositive', options.refPositive, ['positive', 'positive-or-uncertain'], positive);
  const average = oneOf<CeAverage>('average', options.average, ['micro', 'macro', 'example'], 'macro');
  const observations = oneOf<14 | 5>('observations', options.observations, [14, 5], 14);
  const labeler = options.labeler ?? 'chexpert-style';
  const labelerVersion = options.labelerVersion ?? LABELER_VERSION;
  const selected = observations === 5 ? FIVE_IN_ORDER : OBSERVATIONS;
  if (Array.isArray(predLabels) && Array.isArray(refLabels) && predLabels.length !== refLabels.length) {
    throw new MetricsInputError('refLabels', `an array of the same length as predLabels (${predLabels.length})`, `length ${refLabels.length}`);
  }
  const pred = binarise(predLabels, 'predLabels', selected, positive);
  const ref = binarise(refLabels, 'refLabels', selected, refPositive);
  const scores = scoreBinary(pred, ref, selected, average);
  return {
    ...scores,
    numExamples: pred.length,
    numLabels: selected.length,
    config: { positive, refPositive, average, observations, labeler, labelerVersion },
  };
}
