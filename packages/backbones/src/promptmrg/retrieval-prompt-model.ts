import * as tf from '@tensorflow/tfjs-core';
import { ResNetExtractor } from '../blocks/resnet-extractor';
import type { ForwardScope } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import { ClassificationPromptBranch } from './cls-prompt-branch';
import type { PromptMRGConfig } from './config';
import { PromptDecoder } from './prompt-decoder';
import type { ReportBank } from './report-bank';
import { RetrievalMemoryEncoder } from './retrieval-memory';

/** The configuration fields {@link RetrievalPromptModel} reads (PromptMRG's and REVTAF's alike). */
export type RetrievalPromptSizes = Pick<
  PromptMRGConfig,
  | 'seed' | 'channels' | 'retrievalDim' | 'retrievalK' | 'memoryHeads' | 'memoryDFF' | 'encoderLayers' | 'dropout'
  | 'retrievalTemperature' | 'basePriorFloor' | 'dModel' | 'heads' | 'dFF' | 'decoderLayers'
>;

/** What differs between the models built on {@link RetrievalPromptModel}. */
export interface RetrievalPromptLayout {
  /** Output channels of the ResNet stand-in's stages. */
  readonly stages: readonly number[];
  /** Width of what the prompt decoder cross-attends to (default the ResNet's width: the patch tokens). */
  readonly decoderMemoryDim?: number;
}

/**
 * PromptMRG's pieces as REVTAF reuses them: a ResNet stand-in gives patch tokens of the first
 * view and their mean; the mean queries the retrieval memory (k training reports → hs); `cls.head`
 * over `[hs; mean]` predicts 14 × 4 states whose tokens prefix the `textDecoder` input. Variables
 * are created in the order `visual`, `memory`, `cls`, `textDecoder`; a subclass adds its own after.
 */
export abstract class RetrievalPromptModel<C extends RetrievalPromptSizes> {
  readonly store: ParameterStore;
  readonly visual: ResNetExtractor;
  readonly memory: RetrievalMemoryEncoder;
  readonly cls: ClassificationPromptBranch;
  readonly decoder: PromptDecoder;

  /** Creates the shared variables from `config.seed`. */
  protected constructor(readonly config: C, vocabSize: number, layout: RetrievalPromptLayout) {
    const c = config;
    this.store = new ParameterStore(c.seed);
    this.visual = new ResNetExtractor(this.store, 'visual', { inChannels: c.channels, channels: layout.stages });
    const width = this.visual.outDim;
    this.memory = new RetrievalMemoryEncoder(this.store, 'memory', {
      inDim: width, dim: c.retrievalDim, k: c.retrievalK, heads: c.memoryHeads, dFF: c.memoryDFF,
      layers: c.encoderLayers, dropout: c.dropout, temperature: c.retrievalTemperature,
    });
    this.cls = new ClassificationPromptBranch(this.store, 'cls', c.retrievalDim + width, c.basePriorFloor);
    this.decoder = new PromptDecoder(this.store, 'textDecoder', {
      vocabSize, memoryDim: layout.decoderMemoryDim ?? width, d: c.dModel, heads: c.heads, dFF: c.dFF, layers: c.decoderLayers, dropout: c.dropout,
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
