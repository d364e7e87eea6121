/**
 * `loadR2GenDataset`: one loader for every dataset in R2Gen's layout (IU X-Ray, MIMIC-CXR,
 * synth-cxr). It validates the annotation, checks the images, builds the vocabulary from the
 * train split, labels the reports, links prior studies, and hands out seeded, resumable,
 * prefetched batch streams. Nothing is decoded up front.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildVocabulary } from '@came-grad/metrics';
import type { WordTokenizer } from '@came-grad/metrics';
import { SPLITS, readAnnotation } from './annotation/read-annotation.js';
import { linkPriors } from './annotation/link-priors.js';
import type { PriorLinks } from './annotation/link-priors.js';
import type { PriorStudy, SkippedEntry, SplitName, StudyRecord } from './annotation/study-record.js';
import { streamBatches } from './batching/batch-stream.js';
import type { LoadedBatch } from './batching/batch-stream.js';
import { validateCursor } from './batching/epoch-order.js';
import { AnnotationError, DatasetOptionError, ImageError } from './errors.js';
import { resolveImageTransform } from './images/image-transform.js';
import type { ImageTransform } from './images/image-transform.js';
import { labelAll } from './labels/report-labels.js';
import type { LabelStats } from './labels/report-labels.js';
import type { ArrayWithShape, BatchCursor } from './train-batch.js';

/** Dataset kinds and their R2Gen defaults. */
export type DatasetKind = 'iu_xray' | 'mimic_cxr' | 'synth-cxr';

/** Per-kind defaults: vocabulary threshold, max sequence length, views, image size, cleaner. */
export const DATASET_DEFAULTS = Object.freeze({
  iu_xray: Object.freeze({ threshold: 3, maxSeqLength: 60, views: 2, imageSize: 224, cleaner: 'iu_xray', priors: false }),
  mimic_cxr: Object.freeze({ threshold: 10, maxSeqLength: 100, views: 1, imageSize: 224, cleaner: 'mimic_cxr', priors: true }),
  'synth-cxr': Object.freeze({ threshold: 3, maxSeqLength: 60, views: 2, imageSize: 64, cleaner: 'iu_xray', priors: true }),
} as const);

/** How thoroughly images are checked at load time. */
export type ImageCheck = 'none' | 'exists' | 'decode';

/** Options of {@link loadR2GenDataset}. */
export interface R2GenDatasetOptions {
  /** Path of `annotation.json`. */
  readonly annotationPath: string;
  /** Folder that `image_path` entries are relative to. */
  readonly imageDir: string;
  readonly kind: DatasetKind;
  /** Minimum train-split count for a word to enter the vocabulary (IU 3, MIMIC 10, synth 3). */
  readonly threshold?: number;
  /** Token sequence length T including BOS/EOS (IU 60, MIMIC 100, synth 60). */
  readonly maxSeqLength?: number;
  /** Image side S, 32–224 (IU/MIMIC 224, synth 64). */
  readonly imageSize?: number;
  /** 3 (default) or 1 image channels. */
  readonly channels?: 1 | 3;
  /** Views per sample (IU 2, MIMIC 1, synth 2). */
  readonly views?: 1 | 2;
  /** Record and leave out bad entries instead of throwing (`--skip-bad`). */
  readonly skipBad?: boolean;
  /** Called once per skipped entry (for logging; the library itself never prints). */
  readonly onSkip?: (entry: SkippedEntry) => void;
  /** Image check at load time: `'exists'` (default), `'decode'` (read headers) or `'none'`. */
  readonly checkImages?: ImageCheck;
  /** Compute the 14 CheXpert labels of every report (default true). */
  readonly labels?: boolean;
  /** Folder of the on-disk label cache; no cache when absent. */
  readonly labelCacheDir?: string;
  /** Link prior studies (default: MIMIC-CXR and synth-cxr yes, IU X-Ray no). */
  readonly priors?: boolean;
  /** Reuse a saved vocabulary (e.g. a checkpoint's) instead of building one from the train split. */
  readonly tokenizer?: WordTokenizer;
}

/** Options of {@link R2GenDataset.batches}. */
export interface BatchOptions {
  readonly split: SplitName;
  readonly batchSize: number;
  /** Seed of the shuffle and the augmentation. Default 0. */
  readonly seed?: number;
  /** Shuffle each epoch (default: train only). */
  readonly shuffle?: boolean;
  /** Random crop and flip (default: train only). */
  readonly augment?: boolean;
  /** Total epochs: the stream ends before epoch `epochs` (counted from 0, whatever the cursor), so a resumed run ends where the uninterrupted one would. Default 1; `Infinity` for endless. */
  readonly epochs?: number;
  /** Where to start; default `{ epoch: 0, position: 0 }`. */
  readonly cursor?: BatchCursor;
  /** Drop an epoch's last, incomplete batch. Default false. */
  readonly dropLast?: boolean;
  /** Batches decoded ahead (default 2). */
  readonly prefetch?: number;
  /** Include `labels14`/`labels14x4` (default: when the dataset has labels). */
  readonly withLabels?: boolean;
  /** Include prior-study inputs (default: when priors were linked). */
  readonly withPrior?: boolean;
  /**
   * Cluster id of every sample of the split, indexed like `records(split)` (WCL's report
   * clusters, computed by the caller); each batch gets its rows as `aux.clusterId`.
   */
  readonly clusterIds?: Int32Array;
  /**
   * Retrieval memory of every sample of the split, [N, k, d] (PromptMRG/REVTAF's retrieved report
   * embeddings, computed by the caller); each batch gets its rows as `aux.retrievedMemory`.
   */
  readonly retrievedMemory?: ArrayWithShape<Float32Array, readonly [number, number, number]>;
}

/** A loaded dataset. */
export interface R2GenDataset {
  readonly kind: DatasetKind;
  readonly annotationPath: string;
  readonly imageDir: string;
  readonly views: number;
  readonly threshold: number;
  readonly maxSeqLength: number;
  readonly transform: ImageTransform;
  /** The R2Gen word tokenizer (BOS = EOS = PAD = 0). */
  readonly tokenizer: WordTokenizer;
  /** Number of usable entries per split. */
  readonly sizes: Readonly<Record<SplitName, number>>;
  /** Entries left out by `skipBad`. */
  readonly skipped: readonly SkippedEntry[];
  /** Label cache statistics, when labels were computed. */
  readonly labelStats: LabelStats | undefined;
  /** The validated entries of a split. */
  records(split: SplitName): readonly StudyRecord[];
  /** The prior study of entry `index` of `split`, if linked. */
  prior(split: SplitName, index: number): PriorStudy | undefined;
  /** [N, 14] label codes of a split (1/0/−1, −2 blank), when labels were computed. */
  labels(split: SplitName): Int8Array | undefined;
  /** A seeded, resumable, prefetched stream of batches. */
  batches(options: BatchOptions): AsyncIterableIterator<LoadedBatch>;
}

function positiveInt(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new DatasetOptionError(name, `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]`, value);
  }
  return value;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function checkImage(file: string, mode: ImageCheck): Promise<string | undefined> {
  try {
    if (mode === 'exists') await access(file, constants.R_OK);
    else {
      const meta = await sharp(file).metadata();
      if (meta.format !== 'png' && meta.format !== 'jpeg') return `${file}, a ${meta.format} image (PNG or JPEG expected)`;
    }
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no file at ${file}` : `${file}, which fails to decode (${(e as Error).message})`;
  }
}

/**
 * Loads an R2Gen-layout dataset. Throws {@link AnnotationError} or {@link ImageError} naming the
 * file, entry id and field of the first problem, unless `skipBad` is set, in which case bad
 * entries are listed in `skipped` (and passed to `onSkip`).
 */
export async function loadR2GenDataset(options: R2GenDatasetOptions): Promise<R2GenDataset> {
  if (typeof options !== 'object' || options === null) throw new DatasetOptionError('options', 'an object', options);
  const kind = options.kind;
  if (kind !== 'iu_xray' && kind !== 'mimic_cxr' && kind !== 'synth-cxr') throw new DatasetOptionError('kind', "'iu_xray', 'mimic_cxr' or 'synth-cxr'", kind);
  const d = DATASET_DEFAULTS[kind];
  if (typeof options.annotationPath !== 'string' || options.annotationPath === '') throw new DatasetOptionError('annotationPath', 'a path', options.annotationPath);
  if (typeof options.imageDir !== 'string' || options.imageDir === '') throw new DatasetOptionError('imageDir', 'a path', options.imageDir);
  const threshold = positiveInt('threshold', options.threshold ?? d.threshold, 1);
  const maxSeqLength = positiveInt('maxSeqLength', options.maxSeqLength ?? d.maxSeqLength, 2);
  const views = positiveInt('views', options.views ?? d.views, 1, 2);
  const transform = resolveImageTransform(options.imageSize ?? d.imageSize, options.channels ?? 3);
  const checkImages = options.checkImages ?? 'exists';
  if (checkImages !== 'none' && checkImages !== 'exists' && checkImages !== 'decode') throw new DatasetOptionError('checkImages', "'none', 'exists' or 'decode'", checkImages);
  const skipBad = options.skipBad ?? false;
  const file = options.annotationPath;

  const parsed = await readAnnotation(file, skipBad);
  const skipped = [...parsed.skipped];
  const skip = (rec: StudyRecord, field: string, message: string): void => {
    skipped.push({ file, split: rec.split, entryId: rec.id, field, message });
  };
  // Views: an entry must list at least as many images as the dataset uses per sample.
  const records = { train: [], val: [], test: [] } as Record<SplitName, StudyRecord[]>;
  for (const split of SPLITS) {
    for (const rec of parsed.records[split]) {
      if (rec.imagePaths.length >= views) {
        records[split].push(rec);
        continue;
      }
      const err = new AnnotationError({ file, entryId: rec.id, field: 'image_path' }, `at least ${views} image path(s) (${kind} uses ${views} view(s))`, `${rec.imagePaths.length}`);
      if (!skipBad) throw err;
      skip(rec, 'image_path', err.message);
    }
  }
  const priorsOn = options.priors ?? d.priors;
  let priors: PriorLinks | undefined = priorsOn ? linkPriors(file, records) : undefined;

  if (checkImages !== 'none') {
    const bad = new Map<StudyRecord, ImageError>();
    for (const split of SPLITS) {
      await eachLimited(records[split], 32, async (rec) => {
        // The entry's own views, then an inline (DDaTR) prior's images, which no other entry covers.
        const ctx = priorsOn ? (rec.inlinePrior?.imagePaths ?? []) : [];
        const toCheck: [string, string][] = [
          ...rec.imagePaths.slice(0, views).map((p, v): [string, string] => [p, `image_path[${v}]`]),
          ...ctx.slice(0, views).map((p, v): [string, string] => [p, `context_image[${v}]`]),
        ];
        for (const [path, field] of toCheck) {
          const problem = await checkImage(join(options.imageDir, path), checkImages);
          if (problem !== undefined) {
            bad.set(rec, new ImageError({ file, entryId: rec.id, field }, problem));
            return;
          }
        }
      });
    }
    if (bad.size > 0) {
      // Report the first bad entry in annotation order, whatever order the checks finished in.
      const ordered = SPLITS.flatMap((s) => records[s].filter((r) => bad.has(r)));
      if (!skipBad) throw bad.get(ordered[0] as StudyRecord) as ImageError;
      for (const rec of ordered) skip(rec, (bad.get(rec) as ImageError).field ?? 'image_path', (bad.get(rec) as ImageError).message);
      for (const split of SPLITS) records[split] = records[split].filter((r) => !bad.has(r));
      // Priors pointing at a skipped entry are dropped with it: re-link on the surviving set.
      if (priorsOn) priors = linkPriors(file, records);
    }
  }
  for (const s of skipped) options.onSkip?.(s);

  const tokenizer = options.tokenizer ?? buildVocabulary({ reports: records.train.map((r) => r.report), threshold, cleaner: d.cleaner });

  let labelCodes: Record<SplitName, Int8Array> | undefined;
  let labelStats: LabelStats | undefined;
  if (options.labels ?? true) {
    const all = SPLITS.flatMap((s) => records[s].map((r) => r.report));
    const { codes, stats } = await labelAll(all, options.labelCacheDir);
    labelStats = stats;
    const nTrain = records.train.length;
    const nVal = records.val.length;
    labelCodes = {
      train: codes.subarray(0, nTrain * 14),
      val: codes.subarray(nTrain * 14, (nTrain + nVal) * 14),
      test: codes.subarray((nTrain + nVal) * 14),
    };
  }

  const encode = (report: string): number[] => tokenizer.encode(report, maxSeqLength);
  const hasAnyPrior = priors !== undefined && SPLITS.some((s) => priors?.[s].some((p) => p !== undefined));
  return {
    kind,
    annotationPath: file,
    imageDir: options.imageDir,
    views,
    threshold,
    maxSeqLength,
    transform,
    tokenizer,
    sizes: { train: records.train.length, val: records.val.length, test: records.test.length },
    skipped,
    labelStats,
    records: (split) => records[split],
    prior: (split, index) => priors?.[split][index],
    labels: (split) => labelCodes?.[split],
    batches(o: BatchOptions): AsyncIterableIterator<LoadedBatch> {
      if (typeof o !== 'object' || o === null) throw new DatasetOptionError('batches options', 'an object', o);
      if (o.split !== 'train' && o.split !== 'val' && o.split !== 'test') throw new DatasetOptionError('split', "'train', 'val' or 'test'", o.split);
      const n = records[o.split].length;
      const batchSize = positiveInt('batchSize', o.batchSize, 1);
      const seed = o.seed ?? 0;
      if (!Number.isInteger(seed)) throw new DatasetOptionError('seed', 'an integer', seed);
      const epochs = o.epochs ?? 1;
      if (!(epochs === Infinity || (Number.isInteger(epochs) && epochs >= 1))) throw new DatasetOptionError('epochs', 'an integer ≥ 1 or Infinity', epochs);
      const prefetch = positiveInt('prefetch', o.prefetch ?? 2, 0, 64);
      const cursor = validateCursor(o.cursor ?? { epoch: 0, position: 0 }, n);
      const withPrior = o.withPrior ?? hasAnyPrior;
      if (withPrior && priors === undefined) throw new DatasetOptionError('withPrior', 'false when the dataset was loaded with priors: false', withPrior);
      const withLabels = o.withLabels ?? labelCodes !== undefined;
      if (withLabels && labelCodes === undefined) throw new DatasetOptionError('withLabels', 'false when the dataset was loaded with labels: false', withLabels);
      if (o.clusterIds !== undefined && (!(o.clusterIds instanceof Int32Array) || o.clusterIds.length !== n)) {
        throw new DatasetOptionError('clusterIds', `an Int32Array of length ${n} (the ${o.split} split's size)`, o.clusterIds);
      }
      const mem = o.retrievedMemory;
      if (mem !== undefined) {
        const [rows, k, d] = mem.shape;
        if (!(mem.data instanceof Float32Array) || rows !== n || !(k >= 1 && d >= 1) || mem.data.length !== n * k * d) {
          throw new DatasetOptionError('retrievedMemory', `a Float32Array of shape [${n}, k, d] (the ${o.split} split's size first)`, mem.shape);
        }
      }
      const train = o.split === 'train';
      return streamBatches(
        {
          annotationFile: file,
          imageDir: options.imageDir,
          records: records[o.split],
          priors: priors?.[o.split] ?? [],
          labels: labelCodes?.[o.split],
          views,
          transform,
          maxSeqLength,
          encode,
        },
        {
          n,
          batchSize,
          seed,
          shuffle: o.shuffle ?? train,
          augment: o.augment ?? train,
          dropLast: o.dropLast ?? false,
          endEpoch: epochs === Infinity ? Infinity : epochs,
          cursor,
          withLabels,
          withPrior,
          prefetch,
          clusterIds: o.clusterIds,
          retrievedMemory: o.retrievedMemory,
        },
      );
    },
  };
}
