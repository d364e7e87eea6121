import type { BackboneAdapter, CorpusStudy, PlainBatch } from '@came-grad/backbones';
import type { TrainBatch as DatasetBatch } from '@came-grad/datasets';

/**
 * The plain batch a backbone converts to tensors: the dataset batch as it is (the backbones read
 * the CheXpert label codes directly), plus the adapter's host-side auxiliary inputs for training
 * batches (`hostAux`: cluster ids, topic targets computed from each study's own report).
 * Inference batches never get them, so generation cannot read a reference report.
 */
export function toPlainBatch(batch: DatasetBatch, adapter?: BackboneAdapter): PlainBatch {
  if (adapter?.hostAux === undefined) return batch;
  return { ...batch, aux: { ...batch.aux, ...adapter.hostAux(studiesOf(batch)) } };
}

/** The studies of a dataset batch as the contract's {@link CorpusStudy} rows. */
export function studiesOf(batch: DatasetBatch): CorpusStudy[] {
  const labels = batch.aux.labels14;
  return batch.ids.map((id, i) => ({
    id,
    report: batch.reports[i] as string,
    ...(labels === undefined ? {} : { labels14: labels.data.slice(i * 14, i * 14 + 14) }),
  }));
}
