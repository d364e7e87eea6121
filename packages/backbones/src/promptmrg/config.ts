import { InvalidOptionError } from '@came-grad/optim-core';
import type { CommonConfig } from '../adapter-kit/common-config';
import {
  checkInt, checkInts, checkMaxSeqLength, checkNonNegative, checkPositive, checkRates, checkVocab,
} from '../adapter-kit/option-checks';
import type { VisualConfig } from '../blocks/create-visual-extractor';

/** Complete configuration of the `promptmrg` adapter. */
export interface PromptMRGConfig extends CommonConfig {
  /** Seed of every initialiser and of the report bank's projection. */
  readonly seed: number;
  /** Views of the dataset; PromptMRG reads one image, so only view 0 is used. */
  readonly views: number;
  /** Training sequence length including BOS and EOS (the prompt tokens come on top). */
  readonly maxSeqLength: number;
  /** Stand-in for ResNet-101 (§5: 4 stride-2 stages 16/32/64/64). */
  readonly visual: VisualConfig;
  /** Decoder width d. */
  readonly dModel: number;
  /** Layers of the retrieval-memory Transformer, on each side (encoder and decoder; §5: 1 + 1). */
  readonly encoderLayers: number;
  /** Layers of the report decoder. */
  readonly decoderLayers: number;
  /** Dropout of the decoder and the memory Transformer (BERT 0.1). */
  readonly dropout: number;
  /** Width of the report bank and of the memory Transformer (§5: 32). */
  readonly retrievalDim: number;
  /** Retrieved training reports per study (§5: k = 5). */
  readonly retrievalK: number;
  /** Heads of the memory Transformer. */
  readonly memoryHeads: number;
  /** Feed-forward width of the memory Transformer. */
  readonly memoryDFF: number;
  /** Temperature of the softmax over the k retrieval similarities (cosines). */
  readonly retrievalTemperature: number;
  /** Default weight ω of `cls` (PromptMRG `cls_weight` 4). */
  readonly clsWeight: number;
  /** Floor of the logit-adjustment base probabilities (keeps log finite for never-positive classes). */
  readonly basePriorFloor: number;
  /** AdamW learning rate (PromptMRG `init_lr` 5e-5). */
  readonly lr: number;
  /** AdamW weight decay of matrices (0.05); biases, norms and 1-D parameters get none. */
  readonly weightDecay: number;
}

/**
 * Defaults: the §5 small configuration (64 px, ResNet stand-in 16/32/64/64, d 64, 4 heads, d_ff
 * 128, memory Transformer 1 + 1 layers of width 32, k = 5) with PromptMRG's cls weight 4, AdamW
 * lr 5e-5 and weight decay 0.05. `vocab` has no default.
 */
export const PROMPTMRG_DEFAULTS: Readonly<Omit<PromptMRGConfig, 'vocab'>> = Object.freeze({
  seed: 0,
  imageSize: 64,
  views: 1,
  channels: 3,
  maxSeqLength: 60,
  visual: Object.freeze({ kind: 'resnet', channels: Object.freeze([16, 32, 64, 64]) }),
  dModel: 64,
  heads: 4,
  dFF: 128,
  encoderLayers: 1,
  decoderLayers: 2,
  dropout: 0.1,
  retrievalDim: 32,
  retrievalK: 5,
  memoryHeads: 4,
  memoryDFF: 64,
  retrievalTemperature: 0.1,
  clsWeight: 4,
  basePriorFloor: 1e-3,
  lr: 5e-5,
  weightDecay: 0.05,
} as const);

const POSITIVE_INTS = ['imageSize', 'views', 'channels', 'maxSeqLength', 'dModel', 'heads', 'dFF', 'retrievalDim', 'retrievalK', 'memoryHeads', 'memoryDFF'] as const;
const NON_NEGATIVE_INTS = ['encoderLayers', 'decoderLayers'] as const;
const POSITIVE = ['retrievalTemperature', 'basePriorFloor'] as const;
const NON_NEGATIVE = ['clsWeight', 'lr', 'weightDecay'] as const;

/**
 * Fills defaults into a partial configuration and validates it.
 * @throws InvalidOptionError naming the first bad option
 */
export function resolvePromptMRGConfig(partial: Partial<PromptMRGConfig> & { readonly vocab: readonly string[] }): PromptMRGConfig {
  const config: PromptMRGConfig = { ...PROMPTMRG_DEFAULTS, ...partial };
  checkVocab(config.vocab);
  checkInt('seed', config.seed, 0);
  checkInts(config, POSITIVE_INTS, 1);
  checkInts(config, NON_NEGATIVE_INTS, 0);
  checkRates(config, ['dropout']);
  checkPositive(config, POSITIVE);
  checkNonNegative(config, NON_NEGATIVE);
  if (config.basePriorFloor > 1) throw new InvalidOptionError('basePriorFloor', 'at most 1', config.basePriorFloor);
  checkMaxSeqLength(config.maxSeqLength);
  const visual = config.visual as { kind?: unknown; channels?: unknown };
  if (visual?.kind !== 'resnet' || !Array.isArray(visual.channels) || visual.channels.length === 0) {
    throw new InvalidOptionError('visual', "{ kind: 'resnet', channels: [positive integers] } (the ResNet-101 stand-in)", config.visual);
  }
  (visual.channels as unknown[]).forEach((c, i) => checkInt(`visual.channels[${i}]`, c, 1));
  return config;
}
