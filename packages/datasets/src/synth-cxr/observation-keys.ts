/**
 * The observation keys synth-cxr's annotation writes (`labels: { no_finding: 1, cardiomegaly:
 * null, … }`), taken from `@came-grad/metrics` so that generator and labeler share one spelling
 * and one (CheXpert) order, and the label values it uses.
 */
import { OBSERVATION_KEYS } from '@came-grad/metrics';
import type { ObservationKey } from '@came-grad/metrics';

/** The 14 keys in CheXpert column order. */
export const SYNTH_OBSERVATION_KEYS: readonly ObservationKey[] = OBSERVATION_KEYS;
/** One of the 14 observation keys. */
export type SynthObservationKey = ObservationKey;
/** CheXpert labeler encoding: 1 positive, 0 negative, −1 uncertain, null not mentioned. */
export type SynthLabel = 1 | 0 | -1 | null;
