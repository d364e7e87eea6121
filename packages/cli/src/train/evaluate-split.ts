import { disposeBatch, toInferBatch } from '@came-grad/backbones';
import type { BackboneAdapter } from '@came-grad/backbones';
import type { R2GenDataset, SplitName } from '@came-grad/datasets';
import { clinicalEfficacy, labelReports, nlgScores } from '@came-grad/metrics';
import type { CheXpertLabels, ClinicalEfficacyResult } from '@came-grad/metrics';
import { toPlainBatch } from './batch-glue';

/** Generated and reference reports of a split, in annotation order. */
export interface SplitGeneration {
  readonly ids: string[];
  readonly hypotheses: string[];
  /** References as the R2Gen pipeline scores them: `decode(encode(report, maxSeqLength))`. */
  readonly references: string[];
  /** The raw reference reports (what the labeler reads for the reference labels). */
  readonly rawReferences: string[];
  /** Per study, the adapter's classifier probabilities (`clsProbs` rows), when asked for and given. */
  readonly classProbs: number[][];
}

export interface GenerateSplitOptions {
  readonly split: SplitName;
  readonly batchSize: number;
  readonly beamSize: number;
  /** Maximum generated words; default the dataset's `maxSeqLength − 2`. */
  readonly maxLen?: number;
  /** Only the first `limit` studies (0 = all). */
  readonly limit?: number;
  /** Keep the adapter's `clsProbs` rows (for `onValidation` statistics). */
  readonly collectClassProbs?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Generates one report per study of a split with beam search and trigram blocking. */
export async function generateSplit(adapter: BackboneAdapter, dataset: R2GenDataset, options: GenerateSplitOptions): Promise<SplitGeneration> {
  const total = options.limit ? Math.min(options.limit, dataset.sizes[options.split]) : dataset.sizes[options.split];
  const out: SplitGeneration = { ids: [], hypotheses: [], references: [], rawReferences: [], classProbs: [] };
  const maxLen = options.maxLen ?? dataset.maxSeqLength - 2;
  const stream = dataset.batches({ split: options.split, batchSize: options.batchSize, shuffle: false, augment: false, epochs: 1 });
  for await (const { batch } of stream) {
    const plain = toPlainBatch(batch);
    const infer = toInferBatch(plain);
    try {
      const result = adapter.generate(infer, { beamSize: options.beamSize, maxLen, blockTrigrams: true });
      const probs = options.collectClassProbs === true && result.clsProbs !== undefined ? (result.clsProbs.arraySync() as number[][]) : undefined;
      result.clsProbs?.dispose();
      for (let i = 0; i < batch.size && out.ids.length < total; i++) {
        if (probs !== undefined) out.classProbs.push(probs[i] as number[]);
        out.ids.push(batch.ids[i] as string);
        out.hypotheses.push(result.texts[i] ?? '');
        const report = batch.reports[i] as string;
        out.rawReferences.push(report);
        out.references.push(dataset.tokenizer.referenceText(report, dataset.maxSeqLength));
      }
    } finally {
      disposeBatch(infer);
    }
    options.onProgress?.(out.ids.length, total);
    if (out.ids.length >= total) {
      await stream.return?.(undefined);
      break;
    }
  }
  return out;
}

/** The two clinical-efficacy conventions every table reports. */
export interface CeScores {
  /** The CAME-Grad paper's: macro over the 14 observations, uncertain counted as positive. */
  readonly macro: Pick<ClinicalEfficacyResult, 'precision' | 'recall' | 'f1'>;
  /** R2Gen's: micro over the 14 observations, positive only. */
  readonly micro: Pick<ClinicalEfficacyResult, 'precision' | 'recall' | 'f1'>;
}

export function ceScores(pred: readonly CheXpertLabels[], ref: readonly CheXpertLabels[]): CeScores {
  const pick = (r: ClinicalEfficacyResult) => ({ precision: r.precision, recall: r.recall, f1: r.f1 });
  return {
    macro: pick(clinicalEfficacy(pred, ref, { average: 'macro', positive: 'positive-or-uncertain', observations: 14 })),
    micro: pick(clinicalEfficacy(pred, ref, { average: 'micro', positive: 'positive', observations: 14 })),
  };
}

/** NLG and CE scores of a generation, as `came-grad eval --json` prints them. */
export interface SplitScores {
  readonly n: number;
  readonly nlg: { bleu1: number; bleu2: number; bleu3: number; bleu4: number; meteor: number; rougeL: number; cider: number };
  readonly ce: CeScores;
}

export function scoreGeneration(generation: SplitGeneration, options: { nlg: boolean } = { nlg: true }): SplitScores {
  const refLabels = labelReports(generation.rawReferences);
  const predLabels = labelReports(generation.hypotheses);
  const ce = ceScores(predLabels, refLabels);
  if (!options.nlg) return { n: generation.ids.length, nlg: emptyNlg(), ce };
  const s = nlgScores(generation.hypotheses, generation.references.map((r) => [r]));
  const [bleu1, bleu2, bleu3, bleu4] = s.bleu;
  return { n: generation.ids.length, nlg: { bleu1, bleu2, bleu3, bleu4, meteor: s.meteor, rougeL: s.rougeL, cider: s.cider }, ce };
}

function emptyNlg(): SplitScores['nlg'] {
  return { bleu1: Number.NaN, bleu2: Number.NaN, bleu3: Number.NaN, bleu4: Number.NaN, meteor: Number.NaN, rougeL: Number.NaN, cider: Number.NaN };
}
