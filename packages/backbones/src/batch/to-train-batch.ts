import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import type { AuxInputs, InferBatch, TrainBatch } from '../contract';
import type { PlainAuxInputs, PlainBatch, PlainTensor, ToTrainBatchOptions } from './plain-batch';

type AuxRank = { readonly rank: number; readonly dtype: 'float32' | 'int32' };

// Rank and dtype of every auxiliary field; the batch axis must match `images`.
const AUX_LAYOUT: { readonly [K in keyof PlainAuxInputs]-?: AuxRank } = {
  labels14: { rank: 2, dtype: 'float32' },
  labels14x4: { rank: 2, dtype: 'int32' },
  topics28: { rank: 2, dtype: 'float32' },
  clusterId: { rank: 1, dtype: 'int32' },
  retrievedMemory: { rank: 3, dtype: 'float32' },
  priorImage: { rank: 5, dtype: 'float32' },
  priorReportIds: { rank: 2, dtype: 'int32' },
  priorReportMask: { rank: 2, dtype: 'float32' },
  hasProgress: { rank: 1, dtype: 'float32' },
  regionFeats: { rank: 3, dtype: 'float32' },
  knowledge: { rank: 3, dtype: 'float32' },
};

function checkShape(field: string, t: PlainTensor, rank: number, batch: number | undefined): void {
  const { shape, data } = t;
  if (shape.length !== rank || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(field, `a shape of rank ${rank} with non-negative integer sizes`, `[${shape.join(', ')}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new ShapeError(`${field}.data`, `${size} elements for shape [${shape.join(', ')}]`, `${data.length}`);
  }
  if (batch !== undefined && shape[0] !== batch) {
    throw new ShapeError(`${field}.shape[0]`, `the batch size ${batch} of images`, `${shape[0]}`);
  }
}

// CheXpert codes (Int8Array) become binary targets; float labels are taken as targets already.
function labelTargets(data: Int8Array | Float32Array, uncertainAs: 0 | 1): Float32Array {
  if (data instanceof Float32Array) {
    const bad = data.findIndex((x) => !(x >= 0 && x <= 1));
    if (bad >= 0) throw new ShapeError(`aux.labels14.data[${bad}]`, 'a binary target in [0, 1]', `${data[bad]}`);
    return Float32Array.from(data);
  }
  return Float32Array.from(data, (code, i) => {
    if (code === 1) return 1;
    if (code === -1) return uncertainAs;
    if (code === 0 || code === -2) return 0;
    throw new ShapeError(`aux.labels14.data[${i}]`, 'a CheXpert code in {1, 0, −1, −2}', `${code}`);
  });
}

function auxToTensors(aux: PlainAuxInputs, batch: number, options: ToTrainBatchOptions): AuxInputs {
  const out: Record<string, tf.Tensor> = {};
  for (const key of Object.keys(AUX_LAYOUT) as (keyof PlainAuxInputs)[]) {
    const value = aux[key];
    if (value === undefined) continue;
    const layout = AUX_LAYOUT[key];
    checkShape(`aux.${key}`, value, layout.rank, batch);
    const data =
      key === 'labels14'
        ? labelTargets(value.data as Int8Array | Float32Array, options.uncertainAs ?? 1)
        : layout.dtype === 'int32' ? Int32Array.from(value.data) : Float32Array.from(value.data);
    out[key] = tf.tensor(data, [...value.shape], layout.dtype);
  }
  return out as AuxInputs;
}

function imagesToTensor(plain: PlainBatch): tf.Tensor5D {
  checkShape('images', plain.images, 5, undefined);
  return tf.tensor5d(plain.images.data, plain.images.shape as [number, number, number, number, number], 'float32');
}

/**
 * Converts a plain typed-array batch (a `@came-grad/datasets` batch as it is) into the tensors of
 * {@link TrainBatch}. Shapes are validated and CheXpert label codes become binary targets; the
 * caller owns the tensors (see {@link disposeBatch}).
 *
 * @throws ShapeError naming the field when a shape, size, batch axis or label value is wrong.
 */
export function toTrainBatch(plain: PlainBatch, options: ToTrainBatchOptions = {}): TrainBatch {
  const batch = plain.images.shape[0];
  if (plain.reportIds === undefined || plain.reportMask === undefined) {
    throw new ShapeError('reportIds/reportMask', 'present in a training batch', 'undefined');
  }
  checkShape('images', plain.images, 5, undefined);
  checkShape('reportIds', plain.reportIds, 2, batch);
  checkShape('reportMask', plain.reportMask, 2, batch);
  if (plain.reportMask.shape[1] !== plain.reportIds.shape[1]) {
    throw new ShapeError('reportMask.shape[1]', `the length ${plain.reportIds.shape[1]} of reportIds`, `${plain.reportMask.shape[1]}`);
  }
  const ids = plain.reportIds;
  const mask = plain.reportMask;
  const aux = plain.aux === undefined ? undefined : auxToTensors(plain.aux, batch ?? 0, options);
  const images = imagesToTensor(plain);
  const reportIds = tf.tensor2d(ids.data, ids.shape as [number, number], 'int32');
  const reportMask = tf.tensor2d(Float32Array.from(mask.data), mask.shape as [number, number], 'float32');
  return aux === undefined ? { images, reportIds, reportMask } : { images, reportIds, reportMask, aux };
}

/** Converts the images (and auxiliary inputs) of a plain batch into an {@link InferBatch}. */
export function toInferBatch(plain: PlainBatch, options: ToTrainBatchOptions = {}): InferBatch {
  const images = imagesToTensor(plain);
  if (plain.aux === undefined) return { images };
  return { images, aux: auxToTensors(plain.aux, plain.images.shape[0] ?? 0, options) };
}

/** Disposes every tensor of a batch made by {@link toTrainBatch} or {@link toInferBatch}. */
export function disposeBatch(batch: TrainBatch | InferBatch): void {
  const tensors: tf.Tensor[] = [batch.images];
  if ('reportIds' in batch) tensors.push(batch.reportIds, batch.reportMask);
  if (batch.aux !== undefined) {
    for (const value of Object.values(batch.aux)) if (value !== undefined) tensors.push(value as tf.Tensor);
  }
  tf.dispose(tensors);
}
