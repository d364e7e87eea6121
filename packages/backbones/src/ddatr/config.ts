import { InvalidOptionError } from '@came-grad/optim-core';
import type { CommonConfig } from '../adapter-kit/common-config';
import { checkInt, checkInts, checkIntList, checkMaxSeqLength, checkVocab } from '../adapter-kit/option-checks';

/** Complete configuration of the `ddatr` adapter. */
export interface DDaTRConfig extends CommonConfig {
  /** Views per study; every view of the current and of the prior study goes through its stream. */
  readonly views: number;
  /** Training sequence length including BOS and EOS (also the prior report's length). */
  readonly maxSeqLength: number;
  /** Widths of the stride-2 stages of each stream (Swin-B's 4 stages at test scale). */
  readonly stages: readonly number[];
  /** Decoder width d. */
  readonly dModel: number;
  /**
   * Accepted for the CLI's common keys; DDaTR has no Transformer encoder between the Swin streams
   * and the decoder, so it is unused.
   */
  readonly encoderLayers: number;
  /** Width of the frozen prior-report embedding bag (BERT's 768 at test scale). */
  readonly textDim: number;
  /** Dropout of the decoder and its embeddings. */
  readonly dropout: number;
  /** Weight ω of the classification task (CAME-Grad `--cls_weight` 4). */
  readonly clsWeight: number;
  /** Tasks [lm, cls_cur, cls_prior] instead of [lm, cls] (spec §2.6 option). */
  readonly splitPriorCls: boolean;
  /** Initial θ of the learnable central-difference convolutions (the CDC default 0.7). */
  readonly ldcTheta: number;
  /** Floor of the logit-adjustment base probabilities (log 0 would be −∞). */
  readonly minBaseProb: number;
  /** AdamW learning rate of every parameter (PromptMRG/DDaTR `init_lr` 5e-5). */
  readonly lr: number;
  /** AdamW weight decay of matrices and filters (0.05); biases, norms and 1-D parameters get none. */
  readonly weightDecay: number;
}

/**
 * Defaults: the §5 test-scale DDaTR (two 3-stage CNN streams 16/32/64, d 64, 4 heads, d_ff 128,
 * 2 decoder layers, a 32-d frozen embedding bag) with the published cls weight 4, the PromptMRG
 * optimiser (lr 5e-5, wd 0.05 on ≥ 2-D weights) and CDC's θ = 0.7. `vocab` has no default.
 */
export const DDATR_DEFAULTS: Readonly<Omit<DDaTRConfig, 'vocab'>> = Object.freeze({
  seed: 0,
  imageSize: 64,
  views: 1,
  channels: 3,
  maxSeqLength: 60,
  stages: Object.freeze([16, 32, 64]),
  dModel: 64,
  heads: 4,
  dFF: 128,
  encoderLayers: 2,
  decoderLayers: 2,
  textDim: 32,
  dropout: 0.1,
  clsWeight: 4,
  splitPriorCls: false,
  ldcTheta: 0.7,
  minBaseProb: 1e-3,
  lr: 5e-5,
  weightDecay: 0.05,
} as const);

const POSITIVE_INTS = ['imageSize', 'views', 'channels', 'maxSeqLength', 'dModel', 'heads', 'dFF', 'decoderLayers', 'textDim'] as const;

function checkFinite(name: string, v: unknown, min: number, maxExclusive = Number.POSITIVE_INFINITY): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v >= maxExclusive) {
    throw new InvalidOptionError(name, `a finite number in [${min}, ${maxExclusive})`, v);
  }
}

/**
 * Fills defaults into a partial configuration and validates it.
 * @throws InvalidOptionError naming the first bad option
 */
export function resolveDDaTRConfig(partial: Partial<DDaTRConfig> & { readonly vocab: readonly string[] }): DDaTRConfig {
  const config: DDaTRConfig = { ...DDATR_DEFAULTS, ...partial };
  checkVocab(config.vocab);
  checkInt('seed', config.seed, 0);
  checkInts(config, POSITIVE_INTS, 1);
  checkInt('encoderLayers', config.encoderLayers, 0);
  checkMaxSeqLength(config.maxSeqLength);
  if (config.dModel % config.heads !== 0) throw new InvalidOptionError('heads', `a divisor of dModel = ${config.dModel}`, config.heads);
  checkIntList('stages', config.stages);
  checkFinite('dropout', config.dropout, 0, 1);
  checkFinite('clsWeight', config.clsWeight, 0);
  checkFinite('ldcTheta', config.ldcTheta, 0);
  checkFinite('minBaseProb', config.minBaseProb, Number.MIN_VALUE, 1);
  checkFinite('lr', config.lr, 0);
  checkFinite('weightDecay', config.weightDecay, 0);
  if (typeof config.splitPriorCls !== 'boolean') throw new InvalidOptionError('splitPriorCls', 'a boolean', config.splitPriorCls);
  return config;
}
