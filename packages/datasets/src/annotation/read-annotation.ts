/**
 * Reads and validates an R2Gen `annotation.json`: `{train, val, test}` lists of
 * `{id, report, image_path[], split}` (plus the optional metadata used for prior linking).
 * Every problem names the file, the entry and the field; with `skipBad` the offending entries are
 * recorded and left out instead.
 */
import { readFile } from 'node:fs/promises';
import { AnnotationError, describeValue } from '../errors.js';
import type { PriorStudy, SkippedEntry, SplitName, StudyRecord } from './study-record.js';

/** The splits, in the order R2Gen writes them. */
export const SPLITS: readonly SplitName[] = ['train', 'val', 'test'];

/** What {@link readAnnotation} returns. */
export interface ParsedAnnotation {
  readonly records: Record<SplitName, StudyRecord[]>;
  readonly skipped: SkippedEntry[];
}

type Obj = Record<string, unknown>;

function optionalString(e: Obj, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = e[k];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((p) => typeof p === 'string' && p !== '');
}

/** Validates one entry; returns the record or throws an AnnotationError. */
function toRecord(file: string, split: SplitName, index: number, raw: unknown): StudyRecord {
  const fallbackId = `${split}[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AnnotationError({ file, entryId: fallbackId }, 'an object with id, report and image_path', describeValue(raw));
  }
  const e = raw as Obj;
  const id = e['id'];
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new AnnotationError({ file, entryId: fallbackId, field: 'id' }, 'a string', describeValue(id));
  }
  const entryId = String(id);
  if (entryId === '') throw new AnnotationError({ file, entryId: fallbackId, field: 'id' }, 'a non-empty string', '""');
  const loc = (field: string): { file: string; entryId: string; field: string } => ({ file, entryId, field });
  const report = e['report'];
  if (typeof report !== 'string') throw new AnnotationError(loc('report'), 'a string', describeValue(report));
  const paths = e['image_path'];
  if (!stringList(paths)) throw new AnnotationError(loc('image_path'), 'a non-empty array of non-empty strings', describeValue(paths));
  const declared = e['split'];
  if (declared !== undefined && declared !== split) {
    throw new AnnotationError(loc('split'), `"${split}" (the list it is in)`, describeValue(declared));
  }
  const date = optionalString(e, 'study_date', 'StudyDate');
  const time = optionalString(e, 'study_time', 'StudyTime');
  const subjectId = optionalString(e, 'subject_id');
  const priorId = optionalString(e, 'prior');
  let inlinePrior: PriorStudy | undefined;
  if (e['has_progress'] === true || e['has_progress'] === 1) {
    const ctxImages = e['context_image'];
    const ctxReport = e['context_report'];
    if (!stringList(ctxImages)) throw new AnnotationError(loc('context_image'), 'a non-empty array of paths when has_progress is true', describeValue(ctxImages));
    if (typeof ctxReport !== 'string') throw new AnnotationError(loc('context_report'), 'a string when has_progress is true', describeValue(ctxReport));
    inlinePrior = { imagePaths: ctxImages, report: ctxReport };
  }
  return {
    id: entryId,
    split,
    report,
    imagePaths: paths,
    ...(subjectId === undefined ? {} : { subjectId }),
    // Dates and times are zero-padded digit strings in MIMIC's metadata, so string order is time order.
    ...(date === undefined ? {} : { studyTime: time === undefined ? date : `${date}T${time.padStart(10, '0')}` }),
    ...(priorId === undefined ? {} : { priorId }),
    ...(inlinePrior === undefined ? {} : { inlinePrior }),
  };
}

/**
 * Parses the annotation file at `file`. Throws {@link AnnotationError} on the first bad entry, or,
 * with `skipBad`, skips bad entries and lists them in `skipped`. A file that is not JSON, or whose
 * top level lacks one of the three splits, always throws: nothing can be skipped there.
 */
export async function readAnnotation(file: string, skipBad: boolean): Promise<ParsedAnnotation> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new AnnotationError({ file }, 'a readable file', (cause as Error).message, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AnnotationError({ file }, 'valid JSON', (cause as Error).message, { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AnnotationError({ file }, 'an object with train, val and test lists', describeValue(json));
  }
  const top = json as Obj;
  const records = { train: [], val: [], test: [] } as Record<SplitName, StudyRecord[]>;
  const skipped: SkippedEntry[] = [];
  const seen = new Set<string>();
  for (const split of SPLITS) {
    const list = top[split];
    if (!Array.isArray(list)) throw new AnnotationError({ file, field: split }, 'an array of entries', describeValue(list));
    list.forEach((raw, index) => {
      try {
        const rec = toRecord(file, split, index, raw);
        if (seen.has(rec.id)) throw new AnnotationError({ file, entryId: rec.id, field: 'id' }, 'unique across the splits', 'a duplicate');
        seen.add(rec.id);
        records[split].push(rec);
      } catch (err) {
        if (!skipBad || !(err instanceof AnnotationError)) throw err;
        skipped.push({ file, split, entryId: err.entryId ?? `${split}[${index}]`, field: err.field ?? '', message: err.message });
      }
    });
  }
  return { records, skipped };
}
