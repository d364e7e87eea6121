import type { PlainAuxInputs, PlainBatch } from '@came-grad/backbones';
import type { TrainBatch as DatasetBatch } from '@came-grad/datasets';

/**
 * Turns a `@came-grad/datasets` batch into the plain batch the backbones convert to tensors.
 *
 * The one real translation is the 14 CheXpert labels: the datasets keep the labeler's codes
 * (1 positive, 0 negative, −1 uncertain, −2 not mentioned), and the binary multi-label heads
 * train on "positive or uncertain" = 1 (the U-Ones policy, which is also how the CAME-Grad paper
 * counts a prediction as positive in its clinical-efficacy metric). The 4-way codes pass through.
 */
export function toPlainBatch(batch: DatasetBatch): PlainBatch {
  const aux: { -readonly [K in keyof PlainAuxInputs]: PlainAuxInputs[K] } = {};
  const { labels14, labels14x4, priorImage, priorReportIds, hasProgress, clusterId, retrievedMemory } = batch.aux;
  if (labels14 !== undefined) {
    const binary = new Float32Array(labels14.data.length);
    labels14.data.forEach((code, i) => {
      binary[i] = code === 1 || code === -1 ? 1 : 0;
    });
    aux.labels14 = { data: binary, shape: [...labels14.shape] };
  }
  if (labels14x4 !== undefined) aux.labels14x4 = { data: labels14x4.data, shape: [...labels14x4.shape] };
  if (priorImage !== undefined) aux.priorImage = { data: priorImage.data, shape: [...priorImage.shape] };
  if (priorReportIds !== undefined) aux.priorReportIds = { data: priorReportIds.data, shape: [...priorReportIds.shape] };
  if (hasProgress !== undefined) aux.hasProgress = { data: hasProgress.data, shape: [...hasProgress.shape] };
  if (clusterId !== undefined) aux.clusterId = { data: clusterId.data, shape: [...clusterId.shape] };
  if (retrievedMemory !== undefined) aux.retrievedMemory = { data: retrievedMemory.data, shape: [...retrievedMemory.shape] };
  return {
    images: { data: batch.images.data, shape: [...batch.images.shape] },
    reportIds: { data: batch.reportIds.data, shape: [...batch.reportIds.shape] },
    reportMask: { data: batch.reportMask.data, shape: [...batch.reportMask.shape] },
    aux,
  };
}
