/**
 * The 14 CheXpert observations, in the column order of the CheXpert labeler's output
 * (Irvin et al., AAAI 2019, https://arxiv.org/abs/1901.07031).
 *
 * Label records are always exchanged by name, never by position: the CheXbert-based metric code
 * (PromptMRG, DDaTR, CAME-Grad) uses a different column order.
 */
export const OBSERVATIONS = [
  'No Finding',
  'Enlarged Cardiomediastinum',
  'Cardiomegaly',
  'Lung Lesion',
  'Lung Opacity',
  'Edema',
  'Consolidation',
  'Pneumonia',
  'Atelectasis',
  'Pneumothorax',
  'Pleural Effusion',
  'Pleural Other',
  'Fracture',
  'Support Devices',
] as const;

/** A CheXpert observation name, e.g. `'Pleural Effusion'`. */
export type Observation = (typeof OBSERVATIONS)[number];

/**
 * Snake-case keys of the observations, in the same order as {@link OBSERVATIONS}
 * (`'pleural_effusion'`); they are the phrase-file stems of the CheXpert labeler.
 */
export const OBSERVATION_KEYS = [
  'no_finding',
  'enlarged_cardiomediastinum',
  'cardiomegaly',
  'lung_lesion',
  'lung_opacity',
  'edema',
  'consolidation',
  'pneumonia',
  'atelectasis',
  'pneumothorax',
  'pleural_effusion',
  'pleural_other',
  'fracture',
  'support_devices',
] as const;

/** Snake-case observation key, e.g. `'pleural_effusion'`. */
export type ObservationKey = (typeof OBSERVATION_KEYS)[number];

/**
 * The five "competition" observations of CheXpert (Irvin et al. 2019, §5), used by the
 * `observations: 5` / `labels: 'five'` CE variant and by `f1chexbert`'s 5-label scores.
 */
export const FIVE_OBSERVATIONS = [
  'Atelectasis',
  'Cardiomegaly',
  'Consolidation',
  'Edema',
  'Pleural Effusion',
] as const satisfies readonly Observation[];

/**
 * Label of one observation in one report, in the CheXpert labeler's encoding:
 * 1 positive, 0 negative, -1 uncertain, `null` not mentioned (a blank cell).
 */
export type CheXpertLabel = 1 | 0 | -1 | null;

/** One report's labels in the CheXpert encoding, keyed by observation name. */
export type CheXpertLabels = Record<Observation, CheXpertLabel>;

/** Label of one observation in the project's enum encoding (spec `clinical-metrics.md` §1). */
export type Label = 'pos' | 'neg' | 'unc' | 'blank';

/** One report's labels in the project's enum encoding, keyed by snake-case observation key. */
export type KeyedLabels = Record<ObservationKey, Label>;

/** Snake-case key of an observation name (`'Pleural Effusion'` → `'pleural_effusion'`). */
export function observationKey(observation: Observation): ObservationKey {
  return OBSERVATION_KEYS[OBSERVATIONS.indexOf(observation)] as ObservationKey;
}

/** Observation name of a snake-case key (`'pleural_effusion'` → `'Pleural Effusion'`). */
export function observationName(key: ObservationKey): Observation {
  return OBSERVATIONS[OBSERVATION_KEYS.indexOf(key)] as Observation;
}
