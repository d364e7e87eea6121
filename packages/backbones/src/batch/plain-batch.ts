/**
 * A batch as plain typed arrays, as produced by `@came-grad/datasets`. Each field carries its data
 * in row-major order and its shape; {@link toTrainBatch} turns it into tensors.
 */
export interface PlainTensor<A extends Float32Array | Int32Array | Int8Array | Uint8Array = Float32Array | Int32Array | Int8Array | Uint8Array> {
  readonly data: A;
  readonly shape: readonly number[];
}

/**
 * Optional per-sample inputs of a plain batch; the names match `AuxInputs` in the contract and
 * the `TrainBatchAux` of `@came-grad/datasets`, whose batches convert as they are.
 */
export interface PlainAuxInputs {
  /**
   * `[B, 14]`: either CheXpert codes as `Int8Array` (1 positive, 0 negative, −1 uncertain,
   * −2 blank; converted to binary targets, see {@link ToTrainBatchOptions}) or binary targets in
   * [0, 1] as `Float32Array`.
   */
  readonly labels14?: PlainTensor<Int8Array | Float32Array>;
  /** `[B, 14]` class ids in {0 blank, 1 positive, 2 negative, 3 uncertain}. */
  readonly labels14x4?: PlainTensor<Int32Array>;
  /** `[B, 28]`. */
  readonly topics28?: PlainTensor<Float32Array>;
  /** `[B]`. */
  readonly clusterId?: PlainTensor<Int32Array>;
  /** `[B, k, d]`. */
  readonly retrievedMemory?: PlainTensor<Float32Array>;
  /** `[B, V, H, W, C]`. */
  readonly priorImage?: PlainTensor<Float32Array>;
  /** `[B, T]`. */
  readonly priorReportIds?: PlainTensor<Int32Array>;
  /** `[B, T]`. */
  readonly priorReportMask?: PlainTensor<Float32Array>;
  /** `[B]`. */
  readonly hasProgress?: PlainTensor<Float32Array>;
  /** `[B, R, d]`. */
  readonly regionFeats?: PlainTensor<Float32Array>;
  /** `[B, n, d]`. */
  readonly knowledge?: PlainTensor<Float32Array>;
}

/**
 * A training (or evaluation) batch as typed arrays.
 * - `images`: `[B, V, H, W, C]` float32, already normalised.
 * - `reportIds`: `[B, T]` int32, `[0, w_1 … w_n, 0, 0…]` (R2Gen layout, BOS = EOS = PAD = 0).
 * - `reportMask`: `[B, T]`, 1 over BOS, the words and EOS, 0 on padding.
 */
export interface PlainBatch {
  readonly images: PlainTensor<Float32Array>;
  readonly reportIds?: PlainTensor<Int32Array>;
  readonly reportMask?: PlainTensor<Float32Array | Uint8Array>;
  readonly aux?: PlainAuxInputs;
}

/** Options of `toTrainBatch`. */
export interface ToTrainBatchOptions {
  /**
   * Binary target of an uncertain (−1) CheXpert code in `labels14` (default 1, "U-Ones", the
   * uncertain-as-positive reading of the CAME-Grad CE protocol). Blank (−2) and negative map to 0.
   */
  readonly uncertainAs?: 0 | 1;
}
