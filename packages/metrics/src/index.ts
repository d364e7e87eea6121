// Public API of @came-grad/metrics: explicit named exports only.
export { MetricsError, MetricsInputError, MetricsOptionError, MetricsDataError, describeValue } from './errors.js';
export type { MetricsErrorCode } from './errors.js';

// CheXpert-style labeler and clinical-efficacy metrics (spec clinical-metrics.md).
export { OBSERVATIONS, OBSERVATION_KEYS, FIVE_OBSERVATIONS, observationKey, observationName } from './labeler/observations.js';
export type { Observation, ObservationKey, CheXpertLabel, CheXpertLabels, Label, KeyedLabels } from './labeler/observations.js';
export { labelReport, labelReports, LABELER_VERSION } from './labeler/label-report.js';
export type { LabelerOptions, LabelerResult, MentionTrace } from './labeler/label-report.js';
export type { DecisionRule, LinkedCue, MentionLabel } from './labeler/classify.js';
export type { CueClass, CueDirection } from './labeler/cue-lexicon-file.js';
export { clinicalEfficacy } from './clinical/clinical-efficacy.js';
export type { ClinicalEfficacyOptions, ClinicalEfficacyResult, CePositive } from './clinical/clinical-efficacy.js';
export { ceMetrics } from './clinical/ce-metrics.js';
export type { CeMetricsOptions } from './clinical/ce-metrics.js';
export { CE_PROTOCOLS } from './clinical/protocols.js';
export type { CeProtocol } from './clinical/protocols.js';
export type { CeAverage, ClassScores } from './clinical/score.js';
