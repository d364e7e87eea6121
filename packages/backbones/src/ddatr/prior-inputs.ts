import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import type { AuxInputs } from '../contract';
import type { PriorInputs } from './model';

/**
 * The prior-study inputs of a batch, with DDaTR's fallback for studies (or whole datasets) without
 * a prior: a zero image, an empty report (mask 0) and `has_progress` 0, which closes every gate.
 *
 * @param t the prior report length used when the batch has no prior report (the adapter's maxSeqLength)
 * @throws ShapeError naming the aux field whose shape disagrees with the current images
 */
export function priorInputsOf(images: tf.Tensor5D, aux: AuxInputs | undefined, t: number): PriorInputs {
  const b = images.shape[0];
  const given = aux?.priorImage;
  if (given !== undefined && given.shape.join() !== images.shape.join()) {
    throw new ShapeError('batch.aux.priorImage', `[${images.shape.join(', ')}] (the shape of batch.images)`, `[${given.shape.join(', ')}]`);
  }
  const ids = aux?.priorReportIds;
  const mask = aux?.priorReportMask;
  if ((ids === undefined) !== (mask === undefined)) {
    throw new ShapeError('batch.aux.priorReportMask', 'present exactly when batch.aux.priorReportIds is', mask === undefined ? 'undefined' : 'a tensor');
  }
  if (ids !== undefined && mask !== undefined && (ids.shape[0] !== b || mask.shape.join() !== ids.shape.join())) {
    throw new ShapeError('batch.aux.priorReportIds', `[${b}, T] with a mask of the same shape`, `[${ids.shape.join(', ')}] and [${mask.shape.join(', ')}]`);
  }
  const hasProgress = aux?.hasProgress;
  if (hasProgress !== undefined && hasProgress.shape[0] !== b) {
    throw new ShapeError('batch.aux.hasProgress', `[${b}]`, `[${hasProgress.shape.join(', ')}]`);
  }
  return {
    images: given ?? tf.zerosLike(images),
    reportIds: ids ?? tf.zeros([b, t], 'int32'),
    reportMask: mask ?? tf.zeros([b, t]),
    // Without the flag, a batch with prior images counts every study as having one.
    hasProgress: hasProgress ?? (given === undefined ? tf.zeros([b]) : tf.ones([b])),
  };
}
