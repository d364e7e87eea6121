// Public API of @came-grad/datasets: explicit named exports only.
export { DatasetError, AnnotationError, ImageError, DatasetOptionError, CursorError, describeValue } from './errors.js';
export type { DatasetErrorCode, EntryLocation } from './errors.js';

export { loadR2GenDataset, DATASET_DEFAULTS } from './load-r2gen-dataset.js';
export type { R2GenDataset, R2GenDatasetOptions, BatchOptions, DatasetKind, ImageCheck } from './load-r2gen-dataset.js';
export type { StudyRecord, PriorStudy, SkippedEntry, SplitName } from './annotation/study-record.js';
export type { TrainBatch, TrainBatchAux, ArrayWithShape, BatchCursor } from './train-batch.js';
export type { LoadedBatch } from './batching/batch-stream.js';
export { epochOrder } from './batching/epoch-order.js';
export { IMAGENET_MEAN, IMAGENET_STD } from './images/image-transform.js';
export type { ImageTransform } from './images/image-transform.js';
export { LABEL_BLANK, reportHash } from './labels/report-labels.js';
export type { LabelStats } from './labels/report-labels.js';

export { generateSynthCxr } from './synth-cxr/generate-synth-cxr.js';
export type { SynthCxrOptions, SynthCxrEntry, SynthCxrResult } from './synth-cxr/generate-synth-cxr.js';
export { SYNTH_PREVALENCE } from './synth-cxr/findings.js';
export type { SynthLabel } from './synth-cxr/observation-keys.js';

export { createRandom, deriveSeed } from './random/seeded-random.js';
export type { SeededRandom } from './random/seeded-random.js';
