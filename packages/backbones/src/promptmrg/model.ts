import * as tf from '@tensorflow/tfjs-core';
import { ResNetExtractor } from '../blocks/resnet-extractor';
import type { ForwardScope } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import { ClassificationPromptBranch } from './cls-prompt-branch';
import type { PromptMRGConfig } from './config';
import { PromptDecoder } from './prompt-decoder';
import type { ReportBank } from './report-bank';
import { RetrievalMemoryEncoder } from './retrieval-memory';

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
export class PromptMRGModel {
  readonly store: ParameterStore;
  readonly visual: ResNetExtractor;
  readonly memory: RetrievalMemoryEncoder;
  readonly cls: ClassificationPromptBranch;
  readonly decoder: PromptDecoder;

  /** Creates every variable from `config.seed`. */
  constructor(readonly config: PromptMRGConfig, vocabSize: number) {
    const c = config;
    this.store = new ParameterStore(c.seed);
    const channels = c.visual.kind === 'resnet' ? c.visual.channels : [];
    this.visual = new ResNetExtractor(this.store, 'visual', { inChannels: c.channels, channels });
    const width = this.visual.outDim;
    this.memory = new RetrievalMemoryEncoder(this.store, 'memory', {
      inDim: width, dim: c.retrievalDim, k: c.retrievalK, heads: c.memoryHeads, dFF: c.memoryDFF,
      layers: c.encoderLayers, dropout: c.dropout, temperature: c.retrievalTemperature,
    });
    this.cls = new ClassificationPromptBranch(this.store, 'cls', c.retrievalDim + width, c.basePriorFloor);
    this.decoder = new PromptDecoder(this.store, 'textDecoder', {
      vocabSize, memoryDim: width, d: c.dModel, heads: c.heads, dFF: c.dFF, layers: c.decoderLayers, dropout: c.dropout,
    });
  }

  /** Patch tokens `[B, N, C]` of the first view (PromptMRG reads one image per study). */
  visualTokens(images: tf.Tensor5D, scope: ForwardScope): tf.Tensor3D {
    const first = images.shape[1] === 1 ? images : (tf.slice(images, [0, 0, 0, 0, 0], [-1, 1, -1, -1, -1]) as tf.Tensor5D);
    return this.visual.apply(first, scope).tokens;
  }

  /** State logits `[B, 14, 4]` from the patch tokens, with the retrieval memory of each study. */
  classify(tokens: tf.Tensor3D, bank: ReportBank, scope: ForwardScope): tf.Tensor3D {
    const pooled = tf.mean(tokens, 1) as tf.Tensor2D;
    const { hs } = this.memory.apply(pooled, bank, scope);
    return this.cls.logits(tf.concat([hs, pooled], 1) as tf.Tensor2D);
  }
}
