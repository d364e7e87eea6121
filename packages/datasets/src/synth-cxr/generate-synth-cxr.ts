/**
 * `generateSynthCxr`: writes the embedded synth-cxr dataset in R2Gen's layout, so that the same
 * loader reads it as IU X-Ray or MIMIC-CXR:
 *
 * ```
 * <outDir>/annotation.json          {"train": [...], "val": [...], "test": [...]}
 * <outDir>/images/<id>/0.png        frontal view
 * <outDir>/images/<id>/1.png        lateral view
 * ```
 *
 * Each entry carries R2Gen's `id`, `report`, `image_path` and `split`, plus `labels` (the 14
 * CheXpert observations, 1/0/−1/null), `subject_id`, `study_date`, and `prior` (the id of the
 * same patient's previous study) on follow-up studies.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetOptionError } from '../errors.js';
import { createRandom, deriveSeed } from '../random/seeded-random.js';
import { sampleAnatomy } from './anatomy.js';
import { encodeGreyPng } from './encode-png.js';
import { sampleFindings } from './findings.js';
import type { SynthLabel, SynthObservationKey } from './observation-keys.js';
import { renderFrontal } from './render-frontal.js';
import { renderLateral } from './render-lateral.js';
import { writeReport } from './report.js';

/** Options of {@link generateSynthCxr}. */
export interface SynthCxrOptions {
  /** Output folder; created if missing. Existing files of the same names are overwritten. */
  readonly outDir: string;
  /** Number of studies (images pairs) to write, ≥ 1. */
  readonly studies: number;
  /** Seed; the same seed and options give the same bytes. */
  readonly seed: number;
  /** Side of the square images in pixels, 16–1024. Default 64. */
  readonly imageSize?: number;
  /** Share of patients who get a prior study (two studies instead of one). Default 0.3. */
  readonly priorShare?: number;
}

/** One annotation entry of synth-cxr. */
export interface SynthCxrEntry {
  readonly id: string;
  readonly report: string;
  readonly image_path: [string, string];
  readonly split: 'train' | 'val' | 'test';
  readonly labels: Record<SynthObservationKey, SynthLabel>;
  readonly subject_id: string;
  readonly study_date: string;
  readonly prior?: string;
}

/** What {@link generateSynthCxr} wrote. */
export interface SynthCxrResult {
  readonly annotationPath: string;
  readonly imageDir: string;
  readonly counts: { readonly train: number; readonly val: number; readonly test: number };
  readonly patients: number;
  readonly withPrior: number;
}

function validate(opts: SynthCxrOptions): { size: number; priorShare: number } {
  if (typeof opts.outDir !== 'string' || opts.outDir === '') throw new DatasetOptionError('outDir', 'a non-empty path', opts.outDir);
  if (!Number.isInteger(opts.studies) || opts.studies < 1) throw new DatasetOptionError('studies', 'an integer ≥ 1', opts.studies);
  if (!Number.isInteger(opts.seed)) throw new DatasetOptionError('seed', 'an integer', opts.seed);
  const size = opts.imageSize ?? 64;
  if (!Number.isInteger(size) || size < 16 || size > 1024) throw new DatasetOptionError('imageSize', 'an integer in [16, 1024]', size);
  const priorShare = opts.priorShare ?? 0.3;
  if (!(priorShare >= 0 && priorShare <= 1)) throw new DatasetOptionError('priorShare', 'a number in [0, 1]', priorShare);
  return { size, priorShare };
}

function isoDate(dayOffset: number): string {
  return new Date(Date.UTC(2015, 0, 1) + dayOffset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Generates a synth-cxr dataset. Patients are split 70/10/20 into train/val/test (a patient's
 * studies stay in one split, as in MIMIC-CXR's official split). Each patient has its own random
 * stream, so the reports and labels do not depend on `imageSize`.
 */
export async function generateSynthCxr(opts: SynthCxrOptions): Promise<SynthCxrResult> {
  const { size, priorShare } = validate(opts);
  const imageDir = join(opts.outDir, 'images');
  await mkdir(imageDir, { recursive: true });
  const splits: Record<'train' | 'val' | 'test', SynthCxrEntry[]> = { train: [], val: [], test: [] };
  let written = 0;
  let patient = 0;
  let withPrior = 0;
  const pending: Promise<unknown>[] = [];
  while (written < opts.studies) {
    const rng = createRandom(deriveSeed(opts.seed, patient));
    const r = rng.next();
    const split = r < 0.7 ? 'train' : r < 0.8 ? 'val' : 'test';
    const anatomy = sampleAnatomy(rng);
    const twoStudies = opts.studies - written >= 2 && rng.chance(priorShare);
    const subject = `p${String(patient).padStart(6, '0')}`;
    const firstDay = rng.int(2000);
    const priorFindings = twoStudies ? sampleFindings(rng) : undefined;
    const plan = twoStudies ? [priorFindings, sampleFindings(rng, priorFindings)] : [sampleFindings(rng)];
    let previousId: string | undefined;
    for (let s = 0; s < plan.length; s++) {
      const findings = plan[s] ?? {};
      const id = `${subject}_s${s}`;
      const { report, labels } = writeReport(findings, rng, s > 0 ? priorFindings : undefined);
      // Drawing and film noise use their own streams: the noise consumes one draw per pixel, and
      // the report stream must not depend on the image size.
      const draw = createRandom(deriveSeed(opts.seed, patient, s, 1));
      const noise = createRandom(deriveSeed(opts.seed, patient, s, 2));
      const frontal = renderFrontal(size, anatomy, findings, draw).toGrey8(noise.normal, 0.015);
      const lateral = renderLateral(size, anatomy, findings, draw).toGrey8(noise.normal, 0.015);
      const pngs = [encodeGreyPng(frontal, size, size), encodeGreyPng(lateral, size, size)];
      // Writes overlap rendering; awaiting each file in turn would leave the CPU idle on I/O.
      pending.push(mkdir(join(imageDir, id), { recursive: true }).then(() => Promise.all(pngs.map((png, v) => writeFile(join(imageDir, id, `${v}.png`), png)))));
      if (pending.length >= 32) await Promise.all(pending.splice(0));
      const entry: SynthCxrEntry = {
        id,
        report,
        image_path: [`${id}/0.png`, `${id}/1.png`],
        split,
        labels,
        subject_id: subject,
        study_date: isoDate(firstDay + s * (30 + rng.int(300))),
        ...(previousId === undefined ? {} : { prior: previousId }),
      };
      splits[split].push(entry);
      previousId = id;
      written++;
    }
    if (twoStudies) withPrior++;
    patient++;
  }
  await Promise.all(pending);
  const annotationPath = join(opts.outDir, 'annotation.json');
  // Write-then-rename so a reader never sees a half-written annotation.
  const tmp = `${annotationPath}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(splits));
  await rename(tmp, annotationPath);
  return {
    annotationPath,
    imageDir,
    counts: { train: splits.train.length, val: splits.val.length, test: splits.test.length },
    patients: patient,
    withPrior,
  };
}
