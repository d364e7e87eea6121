/**
 * Turns planned batches into {@link TrainBatch}es, with prefetch: up to `prefetch` batches are
 * decoded ahead while the consumer trains on the current one (sharp decodes on libuv's thread
 * pool, so this is real overlap, not just interleaving). The queue is bounded, so memory stays
 * at a few batches whatever the split size.
 */
import { join } from 'node:path';
import type { PriorStudy, StudyRecord } from '../annotation/study-record.js';
import type { ImageTransform } from '../images/image-transform.js';
import { loadImageInto } from '../images/load-image.js';
import { LABEL_BLANK } from '../labels/report-labels.js';
import { createRandom, deriveSeed } from '../random/seeded-random.js';
import type { ArrayWithShape, BatchCursor, TrainBatch, TrainBatchAux } from '../train-batch.js';
import { planBatches } from './epoch-order.js';
import type { PlanOptions, PlannedBatch } from './epoch-order.js';

/** Everything a split contributes to its batches. */
export interface SplitSource {
  readonly annotationFile: string;
  readonly imageDir: string;
  readonly records: readonly StudyRecord[];
  readonly priors: readonly (PriorStudy | undefined)[];
  /** [N, 14] label codes, when labels were computed. */
  readonly labels: Int8Array | undefined;
  readonly views: number;
  readonly transform: ImageTransform;
  readonly maxSeqLength: number;
  readonly encode: (report: string) => number[];
}

/** What each step of a batch stream yields. */
export interface LoadedBatch {
  readonly batch: TrainBatch;
  /** Epoch the batch belongs to. */
  readonly epoch: number;
  /** The cursor after this batch: save it with a checkpoint to resume exactly here. */
  readonly cursor: BatchCursor;
}

/** Options of {@link streamBatches} beyond the plan. */
export interface StreamOptions extends PlanOptions {
  /** Random crop and flip (training transform); otherwise the eval resize. */
  readonly augment: boolean;
  readonly withLabels: boolean;
  readonly withPrior: boolean;
  /** Batches decoded ahead of the consumer, ≥ 0. */
  readonly prefetch: number;
  /** Caller-computed cluster id per sample of the split ([N]), sliced into `aux.clusterId`. */
  readonly clusterIds: Int32Array | undefined;
  /** Caller-computed retrieval memory per sample ([N, k, d]), sliced into `aux.retrievedMemory`. */
  readonly retrievedMemory: ArrayWithShape<Float32Array, readonly [number, number, number]> | undefined;
}

/** CheXpert code (1/0/−1/blank) → CheXbert class index (0 blank, 1 pos, 2 neg, 3 unc). */
function classIndex(code: number): number {
  return code === 1 ? 1 : code === 0 ? 2 : code === -1 ? 3 : 0;
}

function fillReport(ids: number[], T: number, idsOut: Int32Array, maskOut: Float32Array, row: number): void {
  const n = Math.min(ids.length, T);
  for (let t = 0; t < n; t++) {
    idsOut[row * T + t] = ids[t] as number;
    maskOut[row * T + t] = 1;
  }
}

async function assemble(src: SplitSource, plan: PlannedBatch, o: StreamOptions): Promise<LoadedBatch> {
  const B = plan.indices.length;
  const { views: V, maxSeqLength: T } = src;
  const S = src.transform.size;
  const C = src.transform.channels;
  const per = S * S * C;
  const images = new Float32Array(B * V * per);
  const reportIds = new Int32Array(B * T);
  const reportMask = new Float32Array(B * T);
  const ids: string[] = [];
  const reports: string[] = [];
  const jobs: Promise<void>[] = [];
  const priorImage = o.withPrior ? new Float32Array(B * V * per) : undefined;
  const priorIds = o.withPrior ? new Int32Array(B * T) : undefined;
  const priorMask = o.withPrior ? new Float32Array(B * T) : undefined;
  const hasProgress = o.withPrior ? new Float32Array(B) : undefined;
  for (let b = 0; b < B; b++) {
    const index = plan.indices[b] as number;
    const rec = src.records[index] as StudyRecord;
    ids.push(rec.id);
    reports.push(rec.report);
    fillReport(src.encode(rec.report), T, reportIds, reportMask, b);
    // One stream per (seed, epoch, position, view): the same sample gets the same crop on resume.
    const samplePos = plan.start + b;
    for (let v = 0; v < V; v++) {
      const rng = o.augment ? createRandom(deriveSeed(o.seed, plan.epoch, samplePos, v)) : undefined;
      const path = rec.imagePaths[v] as string;
      jobs.push(loadImageInto(join(src.imageDir, path), { file: src.annotationFile, entryId: rec.id, field: `image_path[${v}]` }, src.transform, rng, images, (b * V + v) * per));
    }
    const prior = src.priors[index];
    if (prior !== undefined && priorImage !== undefined && priorIds !== undefined && priorMask !== undefined && hasProgress !== undefined) {
      hasProgress[b] = 1;
      fillReport(src.encode(prior.report), T, priorIds, priorMask, b);
      for (let v = 0; v < V; v++) {
        const rng = o.augment ? createRandom(deriveSeed(o.seed, plan.epoch, samplePos, v + 16)) : undefined;
        const k = Math.min(v, prior.imagePaths.length - 1);
        const path = prior.imagePaths[k] as string;
        jobs.push(loadImageInto(join(src.imageDir, path), { file: src.annotationFile, entryId: rec.id, field: `prior image ${path}` }, src.transform, rng, priorImage, (b * V + v) * per));
      }
    }
  }
  await Promise.all(jobs);
  const aux: { -readonly [K in keyof TrainBatchAux]: TrainBatchAux[K] } = {};
  if (o.withLabels && src.labels !== undefined) {
    const l14 = new Int8Array(B * 14);
    const l4 = new Int32Array(B * 14);
    for (let b = 0; b < B; b++) {
      const index = plan.indices[b] as number;
      for (let c = 0; c < 14; c++) {
        const code = src.labels[index * 14 + c] ?? LABEL_BLANK;
        l14[b * 14 + c] = code;
        l4[b * 14 + c] = classIndex(code);
      }
    }
    aux.labels14 = { data: l14, shape: [B, 14] };
    aux.labels14x4 = { data: l4, shape: [B, 14] };
  }
  if (priorImage !== undefined && priorIds !== undefined && priorMask !== undefined && hasProgress !== undefined) {
    aux.priorImage = { data: priorImage, shape: [B, V, S, S, C] };
    aux.priorReportIds = { data: priorIds, shape: [B, T] };
    aux.priorReportMask = { data: priorMask, shape: [B, T] };
    aux.hasProgress = { data: hasProgress, shape: [B] };
  }
  if (o.clusterIds !== undefined) {
    const c = new Int32Array(B);
    for (let b = 0; b < B; b++) c[b] = o.clusterIds[plan.indices[b] as number] as number;
    aux.clusterId = { data: c, shape: [B] };
  }
  if (o.retrievedMemory !== undefined) {
    const [, k, d] = o.retrievedMemory.shape;
    const row = k * d;
    const m = new Float32Array(B * row);
    for (let b = 0; b < B; b++) {
      const i = plan.indices[b] as number;
      m.set(o.retrievedMemory.data.subarray(i * row, (i + 1) * row), b * row);
    }
    aux.retrievedMemory = { data: m, shape: [B, k, d] };
  }
  return {
    batch: {
      size: B,
      ids,
      reports,
      images: { data: images, shape: [B, V, S, S, C] },
      reportIds: { data: reportIds, shape: [B, T] },
      reportMask: { data: reportMask, shape: [B, T] },
      aux,
    },
    epoch: plan.epoch,
    cursor: plan.next,
  };
}

/** An async iterator over batches with a bounded prefetch queue. */
export function streamBatches(src: SplitSource, o: StreamOptions): AsyncIterableIterator<LoadedBatch> {
  const plans = planBatches(o);
  const queue: Promise<LoadedBatch>[] = [];
  let finished = false;
  const refill = (limit: number): void => {
    while (!finished && queue.length < limit) {
      const next = plans.next();
      if (next.done === true) {
        finished = true;
        break;
      }
      const p = assemble(src, next.value, o);
      // Mark as handled: a failure surfaces when the consumer reaches this batch, not as an
      // unhandled rejection while it is still queued.
      p.catch(() => undefined);
      queue.push(p);
    }
  };
  const it: AsyncIterableIterator<LoadedBatch> = {
    async next() {
      refill(Math.max(1, o.prefetch));
      const p = queue.shift();
      if (p === undefined) return { done: true, value: undefined };
      const value = await p;
      // Start the next `prefetch` batches before handing this one over, so they decode while
      // the consumer trains.
      refill(o.prefetch);
      return { done: false, value };
    },
    async return() {
      finished = true;
      queue.length = 0;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
