import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import { ParameterStore } from '../params/parameter-store';
import type { DDaTRConfig } from './config';
import { FrozenTextEncoder } from './frozen-text-encoder';
import { LongitudinalEncoder, type LongitudinalFeatures } from './longitudinal-encoder';
import { PROMPT_STATES, PromptDecoder } from './prompt-decoder';

/** Observations of DDaTR's heads and prompts (the 14 CheXbert labels). */
export const DDATR_CLASSES = 14;

/** Parameter-name prefixes by role. */
export const DDATR_PREFIXES = Object.freeze({
  frozen: ['textEncoder', 'logitAdjust'],
  // `encoder.priorNorm` is read only by `cls_head2`, so it belongs to the prior classification task.
  priorHead: ['clsHead2', 'encoder.priorNorm'],
  currentHead: ['clsHead1'],
  lm: ['lm'],
} as const);

/** Inputs of the longitudinal encoder after the fallback for studies without a prior. */
export interface PriorInputs {
  readonly images: tf.Tensor5D;
  readonly reportIds: tf.Tensor2D;
  readonly reportMask: tf.Tensor2D;
  readonly hasProgress: tf.Tensor1D;
}

/**
 * DDaTR (Song et al., IEEE TMI 2025) at test scale: a frozen prior-report encoder, the
 * longitudinal two-stream encoder with PWAM and difference-aware fusion, `cls_head1`/`cls_head2`
 * (14 × 4 states) on the current and prior pooled features, and the prompt decoder
 * cross-attending to the current-stream tokens.
 */
export class DDaTRModel {
  readonly store: ParameterStore;
  readonly textEncoder: FrozenTextEncoder;
  readonly encoder: LongitudinalEncoder;
  readonly clsHead1: Linear;
  readonly clsHead2: Linear;
  readonly decoder: PromptDecoder;
  /**
   * Logit-adjustment base probabilities `[14]`: never trained, set by `prepare` and
   * `onValidation`, and kept in a variable so that checkpoints (and exact resume) carry them.
   */
  readonly baseProbs: tf.Variable;

  /** Creates every variable from `config.seed`. */
  constructor(readonly config: DDaTRConfig, vocabSize: number) {
    const c = config;
    this.store = new ParameterStore(c.seed);
    this.textEncoder = new FrozenTextEncoder(this.store, 'textEncoder', vocabSize, c.textDim);
    this.encoder = new LongitudinalEncoder(this.store, 'encoder', { inChannels: c.channels, stages: c.stages, textDim: c.textDim, ldcTheta: c.ldcTheta });
    const width = this.encoder.outDim;
    this.clsHead1 = new Linear(this.store, 'clsHead1', width, DDATR_CLASSES * PROMPT_STATES);
    this.clsHead2 = new Linear(this.store, 'clsHead2', width, DDATR_CLASSES * PROMPT_STATES);
    this.baseProbs = this.store.add('logitAdjust.baseProbs', [DDATR_CLASSES], { kind: 'ones' }, false);
    this.decoder = new PromptDecoder(this.store, 'lm', {
      vocabSize, prompts: DDATR_CLASSES, memoryDim: width, d: c.dModel, heads: c.heads, dFF: c.dFF, layers: c.decoderLayers, dropout: c.dropout,
    });
  }

  /** Runs the frozen text encoder and both streams. */
  encode(images: tf.Tensor5D, prior: PriorInputs): LongitudinalFeatures {
    const priorText = this.textEncoder.apply(prior.reportIds, prior.reportMask);
    return this.encoder.apply({ current: images, prior: prior.images, priorText, priorTextMask: prior.reportMask, hasProgress: prior.hasProgress });
  }

  /** State logits `[B, 14, 4]` of a head from a pooled feature `[B, c]`. */
  stateLogits(head: Linear, pooled: tf.Tensor2D): tf.Tensor3D {
    return tf.reshape(head.apply(pooled), [pooled.shape[0], DDATR_CLASSES, PROMPT_STATES]);
  }
}
