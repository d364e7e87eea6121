import { MetricsInputError, MetricsOptionError, describeValue } from '../errors.js';
import { pyReplace, pyStrip } from './python-str.js';

/** Datasets whose R2Gen report cleaner is reproduced here. */
export type ReportDataset = 'iu_xray' | 'mimic_cxr';

/**
 * Characters deleted from every sentence. R2Gen writes the class `[.,?;*!%^&_+():-\[\]{}]`,
 * in which `:-\[` is a *range* U+003A–U+005B, so `:;<=>?@`, `A`–`Z` and `[` are deleted while a
 * literal hyphen is kept. Spelling the set out avoids depending on regex-range behaviour.
 */
const DELETED = new Set<string>([
  '.', ',', '?', ';', '*', '!', '%', '^', '&', '_', '+', '(', ')', ']', '{', '}',
  ...Array.from({ length: 0x5b - 0x3a + 1 }, (_, i) => String.fromCharCode(0x3a + i)),
]);

function deleteClass(s: string): string {
  let out = '';
  for (const ch of s) if (!DELETED.has(ch)) out += ch;
  return out;
}

function repeatReplace(s: string, a: string, b: string, times: number): string {
  let out = s;
  for (let i = 0; i < times; i++) out = pyReplace(out, a, b);
  return out;
}

function cleanSentence(sentence: string): string {
  let t = sentence;
  for (const ch of ['"', '/', '\\', "'"]) t = pyReplace(t, ch, '');
  return deleteClass(pyStrip(t).toLowerCase());
}

function splitNumberedSentences(report: string): string[] {
  let t = pyReplace(report, '1. ', '');
  for (const n of ['2', '3', '4', '5']) t = pyReplace(t, `. ${n}. `, '. ');
  for (const n of ['2', '3', '4', '5']) t = pyReplace(t, ` ${n}. `, '. ');
  return pyStrip(t).toLowerCase().split('. ');
}

function joinSentences(sentences: string[]): string {
  // R2Gen filters with `sent != []`, a str-vs-list comparison that is always true: empty
  // sentences are kept, which is why "Normal. . Clear." keeps a double space.
  return `${sentences.map(cleanSentence).join(' . ')} .`;
}

/**
 * R2Gen's `clean_report_iu_xray`, character for character: collapses `..` three times, removes
 * list numbering (`"1. "` anywhere), lowercases, splits on `". "`, strips quotes, slashes and the
 * deleted character class from each sentence, and joins with `" . "` plus a final `" ."`.
 *
 * Newlines and double spaces are *not* normalised (the IU X-Ray cleaner never did).
 */
export function cleanReportIuXray(report: string): string {
  return joinSentences(splitNumberedSentences(repeatReplace(report, '..', '.', 3)));
}

/**
 * R2Gen's `clean_report_mimic_cxr`: as {@link cleanReportIuXray}, preceded by newline → space,
 * `__` → `_` seven times, double space → space six times, and `..` → `.` eight times.
 */
export function cleanReportMimicCxr(report: string): string {
  let t = pyReplace(report, '\n', ' ');
  t = repeatReplace(t, '__', '_', 7);
  t = repeatReplace(t, '  ', ' ', 6);
  t = repeatReplace(t, '..', '.', 8);
  return joinSentences(splitNumberedSentences(t));
}

/**
 * Cleans a report with R2Gen's cleaner for `dataset`, exactly as R2Gen does (empty sentences and
 * the double spaces they leave are kept; R2Gen's decode step is what later collapses them, see
 * `WordTokenizer.decode`).
 */
export function cleanReport(text: string, dataset: ReportDataset): string {
  if (typeof text !== 'string') throw new MetricsInputError('text', 'a string', describeValue(text));
  if (dataset === 'iu_xray') return cleanReportIuXray(text);
  if (dataset === 'mimic_cxr') return cleanReportMimicCxr(text);
  throw new MetricsOptionError('dataset', "'iu_xray' or 'mimic_cxr'", dataset);
}
