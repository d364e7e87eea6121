import type { PromptMRGConfig } from './config';
import { RetrievalPromptModel } from './retrieval-prompt-model';

// The reusable PromptMRG pieces (REVTAF builds on them); each lives in its own module.
export { ClassificationPromptBranch, OBSERVATIONS, STATES, positiveFrequencies } from './cls-prompt-branch';
export { logitAdjustedCrossEntropy, POSITIVE_STATE } from './logit-adjusted-loss';
export { PromptDecoder, type PromptDecoderOptions } from './prompt-decoder';
export { ReportBank } from './report-bank';
export { RetrievalMemoryEncoder, type RetrievalMemoryOptions, type RetrievalMemoryOutput } from './retrieval-memory';

/** Parameter-name prefixes of the visual extractor (shared by lm and cls). */
export const VISUAL_PREFIXES = ['visual'] as const;
/** Prefixes reached by the lm loss only (BERT decoder stand-in). */
export const LM_PREFIXES = ['textDecoder'] as const;
/** Prefixes reached by the cls loss only (vision_proj, memory Transformer, cls_head). */
export const CLS_PREFIXES = ['memory', 'cls.head'] as const;
/** Prefixes of variables no gradient reaches (the logit-adjustment priors). */
export const FROZEN_PREFIXES = ['cls.basePriors'] as const;

/**
 * PromptMRG (Jin et al., AAAI 2024) at test scale: a ResNet stand-in gives patch tokens and their
 * mean; the mean queries the retrieval memory (k training reports → hs); `cls.head` over
 * `[hs; mean]` predicts 14 × 4 states whose tokens prefix the decoder input; the decoder
 * cross-attends to the patch tokens.
 */
export class PromptMRGModel extends RetrievalPromptModel<PromptMRGConfig> {
  /** Creates every variable from `config.seed`. */
  constructor(config: PromptMRGConfig, vocabSize: number) {
    super(config, vocabSize, { stages: config.visual.kind === 'resnet' ? config.visual.channels : [] });
  }
}
