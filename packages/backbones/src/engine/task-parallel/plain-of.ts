import type { PlainAuxInputs, PlainBatch, PlainTensor } from '../../batch/plain-batch.js';
import type { TrainBatch } from '../../contract.js';
import type * as tf from '@tensorflow/tfjs-core';

function plain(t: tf.Tensor): PlainTensor {
  return { data: t.dataSync() as Float32Array | Int32Array, shape: [...t.shape] };
}

/**
 * The typed-array copy of a tensor batch, so that another thread can rebuild it with
 * `toTrainBatch`: float labels are already the binary targets, so the copy converts back unchanged.
 */
export function plainOf(batch: TrainBatch): PlainBatch {
  const aux: Record<string, PlainTensor> = {};
  for (const [name, t] of Object.entries(batch.aux ?? {})) if (t !== undefined) aux[name] = plain(t as tf.Tensor);
  return {
    images: plain(batch.images) as PlainTensor<Float32Array>,
    reportIds: plain(batch.reportIds) as PlainTensor<Int32Array>,
    reportMask: plain(batch.reportMask) as PlainTensor<Float32Array>,
    ...(batch.aux === undefined ? {} : { aux: aux as PlainAuxInputs }),
  };
}
