/**
 * The batch every backbone consumes (spec backbones.md §6 `TrainBatch`), as plain typed arrays
 * with explicit row-major shapes, so this package needs no tensor library: the training engine
 * turns each `{ data, shape }` into a tensor with `tf.tensor(data, shape)`.
 *
 * Conventions:
 * - images are channels-last: [B, V, H, W, C], normalised floats (see `ImageTransform`);
 * - token ids follow R2Gen: BOS = EOS = PAD = 0, a report is `[0, …ids, 0]` cut to T
 *   (`maxSeqLength`), padded with 0 to T; the mask is 1 on every position of the encoded
 *   sequence (BOS, tokens and EOS) and 0 on padding, as R2Gen's `reports_masks`. The LM targets
 *   are ids[:, 1:] under mask[:, 1:];
 * - labels use CheXpert column order (`OBSERVATIONS` of `@came-grad/metrics`).
 */

/** A row-major array with its shape. */
export interface ArrayWithShape<A extends Float32Array | Int32Array | Int8Array, S extends readonly number[]> {
  readonly data: A;
  readonly shape: S;
}

/** Optional per-sample inputs, present when the loader was asked for them. */
export interface TrainBatchAux {
  /**
   * [B, 14] CheXpert labels of each report: 1 positive, 0 negative, −1 uncertain,
   * −2 not mentioned (`LABEL_BLANK`; CheXpert's blank).
   */
  readonly labels14?: ArrayWithShape<Int8Array, readonly [number, 14]>;
  /**
   * [B, 14] the same labels as 4-way class indices, the CheXbert convention PromptMRG-style
   * classification heads train on: 0 blank, 1 positive, 2 negative, 3 uncertain.
   */
  readonly labels14x4?: ArrayWithShape<Int32Array, readonly [number, 14]>;
  /** [B, V, H, W, C] the prior study's images; zeros where a sample has no prior. */
  readonly priorImage?: ArrayWithShape<Float32Array, readonly [number, number, number, number, number]>;
  /** [B, T] the prior report's ids (R2Gen encoding); all 0 where a sample has no prior. */
  readonly priorReportIds?: ArrayWithShape<Int32Array, readonly [number, number]>;
  /** [B, T] mask of `priorReportIds`. */
  readonly priorReportMask?: ArrayWithShape<Float32Array, readonly [number, number]>;
  /** [B] 1 when the sample has a prior study, else 0 (DDaTR gates the prior stream with it). */
  readonly hasProgress?: ArrayWithShape<Float32Array, readonly [number]>;
  /** [B] report-cluster id per sample (WCL); rows of the caller's `clusterIds` batch option. */
  readonly clusterId?: ArrayWithShape<Int32Array, readonly [number]>;
  /** [B, k, d] retrieved report embeddings (PromptMRG/REVTAF); rows of the caller's `retrievedMemory` option. */
  readonly retrievedMemory?: ArrayWithShape<Float32Array, readonly [number, number, number]>;
}

/** One batch. Evaluation batches have the same type (no augmentation, no shuffling). */
export interface TrainBatch {
  /** Number of samples B. */
  readonly size: number;
  /** Entry ids, in batch order. */
  readonly ids: readonly string[];
  /** Raw report texts, in batch order (for scoring and for text pipelines other than R2Gen's). */
  readonly reports: readonly string[];
  /** [B, V, H, W, C] images. */
  readonly images: ArrayWithShape<Float32Array, readonly [number, number, number, number, number]>;
  /** [B, T] token ids. */
  readonly reportIds: ArrayWithShape<Int32Array, readonly [number, number]>;
  /** [B, T] 1 on encoded positions, 0 on padding. */
  readonly reportMask: ArrayWithShape<Float32Array, readonly [number, number]>;
  readonly aux: TrainBatchAux;
}

/** Where an iteration stands: resume from it to continue exactly. */
export interface BatchCursor {
  /** Epoch number, from 0. */
  readonly epoch: number;
  /** Samples of this epoch already delivered (a multiple of the batch size, except at the end). */
  readonly position: number;
}
