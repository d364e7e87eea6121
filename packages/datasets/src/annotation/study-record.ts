/**
 * One study as the loader keeps it after validation: only what batching needs, sharing the
 * strings of the parsed annotation (no copies), so a 270k-entry MIMIC-CXR list costs little more
 * than its JSON.
 */

/** The three R2Gen splits. */
export type SplitName = 'train' | 'val' | 'test';

/** The study a follow-up is compared with (DDaTR's longitudinal input). */
export interface PriorStudy {
  /** The prior's own entry id when it is an entry of the annotation; absent for inline priors. */
  readonly id?: string;
  /** Prior images, relative to the image folder. */
  readonly imagePaths: readonly string[];
  /** Prior report text. */
  readonly report: string;
}

/** A validated annotation entry. */
export interface StudyRecord {
  readonly id: string;
  readonly split: SplitName;
  readonly report: string;
  /** Image paths relative to the image folder, in annotation order (IU X-Ray: frontal, lateral). */
  readonly imagePaths: readonly string[];
  /** Patient id (`subject_id`) when the annotation gives one. */
  readonly subjectId?: string;
  /** Sortable acquisition time (`study_date`/`StudyDate` then `study_time`/`StudyTime`) when given. */
  readonly studyTime?: string;
  /** Explicit prior id (synth-cxr's `prior`). */
  readonly priorId?: string;
  /** Inline prior (DDaTR's Longitudinal-MIMIC `context_image` / `context_report` / `has_progress`). */
  readonly inlinePrior?: PriorStudy;
}

/** An entry that `skipBad` set aside, with the reason. */
export interface SkippedEntry {
  readonly file: string;
  readonly split: SplitName;
  /** The entry id, or `<split>[<index>]` when the id itself is bad. */
  readonly entryId: string;
  readonly field: string;
  readonly message: string;
}
