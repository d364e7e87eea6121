/**
 * Links each study to the same patient's previous study, for longitudinal models (DDaTR).
 * Sources, in order of precedence:
 * 1. an inline prior (DDaTR's Longitudinal-MIMIC fields `has_progress`, `context_image`,
 *    `context_report`), kept as given;
 * 2. an explicit `prior` id (synth-cxr), which must name another entry;
 * 3. MIMIC-CXR metadata: among the entries with the same `subject_id`, the latest one with an
 *    earlier `study_date`/`study_time`. Entries without a date are never linked this way, because
 *    MIMIC's study ids are random and say nothing about order.
 */
import { AnnotationError } from '../errors.js';
import type { PriorStudy, SplitName, StudyRecord } from './study-record.js';

/** Prior per record (same indexing as the records of each split); undefined when none. */
export type PriorLinks = Record<SplitName, (PriorStudy | undefined)[]>;

/** Computes the prior of every record. Throws when an explicit `prior` names an unknown id. */
export function linkPriors(file: string, records: Record<SplitName, StudyRecord[]>): PriorLinks {
  const all = [...records.train, ...records.val, ...records.test];
  const byId = new Map(all.map((r) => [r.id, r]));
  // Studies of one subject, sorted by time, for the metadata rule.
  const bySubject = new Map<string, StudyRecord[]>();
  for (const r of all) {
    if (r.subjectId === undefined || r.studyTime === undefined) continue;
    const list = bySubject.get(r.subjectId);
    if (list === undefined) bySubject.set(r.subjectId, [r]);
    else list.push(r);
  }
  const previous = new Map<StudyRecord, StudyRecord>();
  for (const list of bySubject.values()) {
    list.sort((a, b) => ((a.studyTime as string) < (b.studyTime as string) ? -1 : (a.studyTime as string) > (b.studyTime as string) ? 1 : 0));
    // MIMIC lists one entry per image, so several entries can share a study time: link to the
    // last entry strictly earlier in time, never to a sibling image of the same study.
    let lastEarlier: StudyRecord | undefined;
    for (let i = 0; i < list.length; i++) {
      const cur = list[i] as StudyRecord;
      if (i > 0 && cur.studyTime !== (list[i - 1] as StudyRecord).studyTime) {
        lastEarlier = list[i - 1];
      }
      if (lastEarlier !== undefined) previous.set(cur, lastEarlier);
    }
  }
  const toPrior = (p: StudyRecord): PriorStudy => ({ id: p.id, imagePaths: p.imagePaths, report: p.report });
  const link = (r: StudyRecord): PriorStudy | undefined => {
    if (r.inlinePrior !== undefined) return r.inlinePrior;
    if (r.priorId !== undefined) {
      const p = byId.get(r.priorId);
      if (p === undefined || p === r) throw new AnnotationError({ file, entryId: r.id, field: 'prior' }, 'the id of another entry', `"${r.priorId}"`);
      return toPrior(p);
    }
    const p = previous.get(r);
    return p === undefined ? undefined : toPrior(p);
  };
  return { train: records.train.map(link), val: records.val.map(link), test: records.test.map(link) };
}
