// Public API of @came-grad/metrics: explicit named exports only.
export { MetricsError, MetricsInputError, MetricsOptionError, MetricsDataError, describeValue } from './errors.js';
export type { MetricsErrorCode } from './errors.js';

// NLG metrics (spec nlg-metrics.md): pycocoevalcap-exact BLEU, ROUGE-L, CIDEr-D; approximate METEOR.
export { nlgScores, computeNlgScores } from './nlg/nlg-scores.js';
export type { NlgScores, NlgItemScores, NlgScoresOptions, NlgMetricName, CocoStyleScores } from './nlg/nlg-scores.js';
export { bleu } from './nlg/bleu.js';
export type { Bleu4, BleuResult } from './nlg/bleu.js';
export { rougeL, rougeLItem, ROUGE_L_BETA } from './nlg/rouge.js';
export type { MetricResult } from './nlg/rouge.js';
export { ciderD, CIDER_D_DEFAULTS } from './nlg/cider.js';
export type { CiderDOptions } from './nlg/cider.js';
export { meteor, createMeteorScorer, METEOR_APPROX_LABEL } from './meteor/meteor.js';
export type { MeteorOptions, MeteorResult, MeteorScorer, MeteorModule } from './meteor/meteor.js';
export { METEOR_DEFAULTS, meteorScoreFromStats } from './meteor/stats.js';
export type { MeteorParameters, MeteorStats } from './meteor/stats.js';
export { meteorNormalize } from './meteor/normalize.js';
export { FUNCTION_WORDS } from './meteor/function-words.js';
export { SynonymDictionary, defaultWordNetPaths } from './meteor/synonyms.js';
export type { WordNetPaths } from './meteor/synonyms.js';

// Report text: R2Gen cleaners, vocabulary, and the text each paper family scores.
export { cleanReport, cleanReportIuXray, cleanReportMimicCxr } from './text/clean-report.js';
export type { ReportDataset } from './text/clean-report.js';
export { WordTokenizer, buildVocabulary, UNK_TOKEN, SPECIAL_ID } from './text/vocabulary.js';
export type { VocabularyOptions } from './text/vocabulary.js';
export { myPreCaption, camegradHypothesisRewrite, blipPreCaption } from './text/scoring-text.js';
export { scoringText, R2GEN_MAX_SEQ_LENGTH } from './text/scoring-pipeline.js';
export type { TextPipeline, ScoringTextOptions } from './text/scoring-pipeline.js';

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
export { CHEXBERT_OBSERVATIONS, fromCheXbertClasses } from './clinical/chexbert.js';
