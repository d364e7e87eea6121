import { InvalidOptionError } from '@came-grad/optim-core';
import type { CommonConfig } from '../adapter-kit/common-config';
import {
  checkInt, checkInts, checkIntList, checkMaxSeqLength, checkNonNegative, checkRates, checkVocab,
} from '../adapter-kit/option-checks';
import type { VisualConfig } from '../blocks/create-visual-extractor';

/** Complete configuration of the `r2gen` adapter. */
export interface R2GenConfig extends CommonConfig {
  /** Views per study (IU X-Ray 2, MIMIC-CXR 1). */
  readonly views: number;
  /** Training sequence length including BOS and EOS (IU 60, MIMIC 100). */
  readonly maxSeqLength: number;
  readonly visual: VisualConfig;
  /** Dropout of the Transformer, embeddings and memory (R2Gen 0.1). */
  readonly dropout: number;
  /** Dropout after `att_embed` (R2Gen `drop_prob_lm`, 0.5). */
  readonly attEmbedDropout: number;
  /** Relational-memory slots (R2Gen 3). */
  readonly rmSlots: number;
  /** Relational-memory heads. */
  readonly rmHeads: number;
  /** Adds the 14-way multi-label BCE head on the pooled visual feature (task `cls`). */
  readonly clsHead: boolean;
  /** Default weight ω of `cls` (no published default). */
  readonly clsWeight: number;
  /** Labels of the head. */
  readonly numLabels: number;
  /** Learning rate of the visual extractor (R2Gen `lr_ve`). */
  readonly lrVisual: number;
  /** Learning rate of everything else (R2Gen `lr_ed`). */
  readonly lrRest: number;
  /** Weight decay of both groups (R2Gen 5e-5). */
  readonly weightDecay: number;
}

/**
 * Defaults: the §5 small TensorFlow.js configuration (64 px, 4 stride-2 conv stages 16/32/64/64,
 * d 64, 4 heads, d_ff 128, 2 + 2 layers, RM 3 slots, MCLN MLP 192 → 64 → 64) with R2Gen's
 * dropouts, learning rates and weight decay. `vocab` has no default.
 */
export const R2GEN_DEFAULTS: Readonly<Omit<R2GenConfig, 'vocab'>> = Object.freeze({
  seed: 0,
  imageSize: 64,
  views: 1,
  channels: 3,
  maxSeqLength: 60,
  visual: Object.freeze({ kind: 'resnet', channels: Object.freeze([16, 32, 64, 64]) }),
  dModel: 64,
  heads: 4,
  dFF: 128,
  encoderLayers: 2,
  decoderLayers: 2,
  dropout: 0.1,
  attEmbedDropout: 0.5,
  rmSlots: 3,
  rmHeads: 4,
  clsHead: true,
  clsWeight: 1,
  numLabels: 14,
  lrVisual: 5e-5,
  lrRest: 1e-4,
  weightDecay: 5e-5,
} as const);

const POSITIVE_INTS = ['imageSize', 'views', 'channels', 'maxSeqLength', 'dModel', 'heads', 'dFF', 'rmSlots', 'rmHeads', 'numLabels'] as const;
const NON_NEGATIVE_INTS = ['encoderLayers', 'decoderLayers'] as const;
const RATES = ['dropout', 'attEmbedDropout'] as const;
const NON_NEGATIVE = ['clsWeight', 'lrVisual', 'lrRest', 'weightDecay'] as const;

function checkVisual(v: VisualConfig): void {
  switch (v.kind) {
    case 'resnet':
      return checkIntList('visual.channels', v.channels);
    case 'densenet':
      checkInt('visual.stem', v.stem, 1);
      checkInt('visual.growth', v.growth, 1);
      return checkIntList('visual.blocks', v.blocks);
    case 'vit':
      for (const k of ['patch', 'd', 'heads', 'layers', 'dFF'] as const) checkInt(`visual.${k}`, v[k], k === 'layers' ? 0 : 1);
      return;
    default:
      throw new InvalidOptionError('visual.kind', "'resnet', 'densenet' or 'vit'", (v as { kind: unknown }).kind);
  }
}

/**
 * Fills defaults into a partial configuration and validates it.
 * @throws InvalidOptionError naming the first bad option
 */
export function resolveR2GenConfig(partial: Partial<R2GenConfig> & { readonly vocab: readonly string[] }): R2GenConfig {
  const config: R2GenConfig = { ...R2GEN_DEFAULTS, ...partial };
  checkVocab(config.vocab);
  checkInt('seed', config.seed, 0);
  checkInts(config, POSITIVE_INTS, 1);
  checkInts(config, NON_NEGATIVE_INTS, 0);
  checkRates(config, RATES);
  checkNonNegative(config, NON_NEGATIVE);
  if (typeof config.clsHead !== 'boolean') throw new InvalidOptionError('clsHead', 'a boolean', config.clsHead);
  checkMaxSeqLength(config.maxSeqLength);
  checkVisual(config.visual);
  return config;
}
