import { MetricsInputError, describeValue } from '../errors';
import type { CheXpertLabel, CheXpertLabels, Observation } from '../labeler/observations';

/**
 * Column order of CheXbert's 14 heads (Smit et al., EMNLP 2020, `stanfordmlgroup/CheXbert`), as
 * used by the metric code of PromptMRG, DDaTR and CAME-Grad. It differs from CheXpert's order:
 * Lung Opacity precedes Lung Lesion and No Finding comes last.
 */
export const CHEXBERT_OBSERVATIONS = [
  'Enlarged Cardiomediastinum',
  'Cardiomegaly',
  'Lung Opacity',
  'Lung Lesion',
  'Edema',
  'Consolidation',
  'Pneumonia',
  'Atelectasis',
  'Pneumothorax',
  'Pleural Effusion',
  'Pleural Other',
  'Fracture',
  'Support Devices',
  'No Finding',
] as const satisfies readonly Observation[];

// CheXbert class index → CheXpert value: 0 blank, 1 positive, 2 negative, 3 uncertain.
const FROM_CLASS: readonly CheXpertLabel[] = [null, 1, 0, -1];

/**
 * Converts CheXbert predictions computed elsewhere (one row of 14 class indices per report, in
 * {@link CHEXBERT_OBSERVATIONS} order: 0 blank, 1 positive, 2 negative, 3 uncertain; No Finding's
 * two-way head gives 0 or 1) into label records for `clinicalEfficacy`.
 *
 * @throws MetricsInputError naming `field` and the row index on a malformed row
 */
export function fromCheXbertClasses(rows: readonly (readonly number[])[], field = 'rows'): CheXpertLabels[] {
  if (!Array.isArray(rows)) throw new MetricsInputError(field, 'an array of rows of 14 CheXbert class indices', describeValue(rows));
  return rows.map((row: unknown, n) => {
    if (!Array.isArray(row) || row.length !== CHEXBERT_OBSERVATIONS.length) {
      throw new MetricsInputError(field, 'a row of 14 CheXbert class indices', describeValue(row), n);
    }
    const out = {} as CheXpertLabels;
    CHEXBERT_OBSERVATIONS.forEach((o, c) => {
      const v: unknown = row[c];
      const max = o === 'No Finding' ? 1 : 3;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
        throw new MetricsInputError(field, `a row whose column ${c} (${o}) is an integer in 0..${max}`, describeValue(v), n);
      }
      out[o] = FROM_CLASS[v]!;
    });
    return out;
  });
}
