import { InvalidOptionError } from '@came-grad/optim-core';
import type { CommonConfig } from '../adapter-kit/common-config';
import { R2GEN_DEFAULTS } from '../r2gen/config';
import { checkInt, checkInts, checkIntList, checkMaxSeqLength, checkNonNegative, checkRates, checkVocab } from '../adapter-kit/option-checks';

/** The ResNet stand-in (`blocks/resnet-extractor`): channels of the stride-2 conv stages. */
export interface TgrgVisualConfig {
  readonly kind: 'resnet';
  readonly channels: readonly number[];
}

/** Complete configuration of the `tgrg` adapter. */
export interface TgrgConfig extends CommonConfig {
  /** Views per study; IU X-Ray's two views are concatenated patch-wise and their pooled features averaged. */
  readonly views: number;
  readonly visual: TgrgVisualConfig;
  /** Model width d (the dimension of the Gaussian topics, 512 in TGRG). */
  readonly dModel: number;
  /** Layers of the image encoder and of the report text encoder. */
  readonly encoderLayers: number;
  /** Layers of the decoder and of the node encoder. */
  readonly decoderLayers: number;
  /** Dropout after `att_embed` (R2Gen `drop_prob_lm` 0.5). */
  readonly attEmbedDropout: number;
  /** Topics guiding the decoder (TGRG code 5; spec §5 suggests 3). */
  readonly topK: number;
  /** Rows of each topic's n-gram memory. */
  readonly gramSlots: number;
  /** Rows of each topic's knowledge-graph node memory. */
  readonly nodeSlots: number;
  /** Scale of the global-vector perturbation `scale·σ·mean(ε₁…ε_k)` (TGRG 0.1). */
  readonly noiseScale: number;
  /** Normal draws averaged per perturbation (TGRG 5). */
  readonly noiseSamples: number;
  /** Power of the topic prior in the training posteriors (TGRG 1.5; inference uses 1). */
  readonly priorPower: number;
  /** ω of `topic` (0.04). */
  readonly topicWeight: number;
  /** ω of `bow` (0.05). */
  readonly bowWeight: number;
  /** ω of `kl` before the annealing rate (0.002). */
  readonly klWeight: number;
  /** Final annealing rate (0.4). */
  readonly klRateMax: number;
  /** Steps per rate increment of 1/`klRateSteps` during the first epoch (TGRG MIMIC 500). */
  readonly klAnnealEvery: number;
  /** Denominator of the rate (TGRG 20: rate = ⌊j / 500⌋ / 20). */
  readonly klRateSteps: number;
  readonly lrVisual: number;
  readonly lrRest: number;
  readonly weightDecay: number;
}

// R2Gen's §5 body (sizes, dropouts) and its optimiser; TGRG lists the optimiser keys last.
const { clsHead: _h, clsWeight: _w, numLabels: _n, rmSlots: _s, rmHeads: _r, lrVisual, lrRest, weightDecay, ...R2GEN_BODY } = R2GEN_DEFAULTS;

/**
 * Defaults: the §5 small configuration (64 px, conv stages 16/32/64/64, d 64, 4 heads, d_ff 128,
 * 2 + 2 layers; R2Gen's, with its dropouts and learning rates) with TGRG's loss weights (lm 1, topic 0.04, bow 0.05, kl 0.002·rate), its MIMIC
 * annealing schedule, noise 0.1 × mean of 5 draws, prior power 1.5, top-3 topics and 4-row n-gram
 * and node memories per topic.
 */
export const TGRG_DEFAULTS: Readonly<Omit<TgrgConfig, 'vocab'>> = Object.freeze({
  ...R2GEN_BODY,
  visual: Object.freeze({ kind: 'resnet', channels: Object.freeze([16, 32, 64, 64]) }),
  topK: 3,
  gramSlots: 4,
  nodeSlots: 4,
  noiseScale: 0.1,
  noiseSamples: 5,
  priorPower: 1.5,
  topicWeight: 0.04,
  bowWeight: 0.05,
  klWeight: 0.002,
  klRateMax: 0.4,
  klAnnealEvery: 500,
  klRateSteps: 20,
  lrVisual,
  lrRest,
  weightDecay,
} as const);

/** Number of topics: 14 CheXpert observations × {present, absent}. */
export const TOPICS = 28;

const POSITIVE_INTS = ['imageSize', 'views', 'channels', 'maxSeqLength', 'dModel', 'heads', 'dFF', 'decoderLayers', 'gramSlots', 'nodeSlots', 'noiseSamples', 'klAnnealEvery', 'klRateSteps'] as const;
const NON_NEGATIVE_INTS = ['seed', 'encoderLayers'] as const;
const RATES = ['dropout', 'attEmbedDropout'] as const;
const NON_NEGATIVE = ['noiseScale', 'priorPower', 'topicWeight', 'bowWeight', 'klWeight', 'klRateMax', 'lrVisual', 'lrRest', 'weightDecay'] as const;

/**
 * Fills defaults into a partial configuration and validates it.
 * @throws InvalidOptionError naming the first bad option
 */
export function resolveTgrgConfig(partial: Partial<TgrgConfig> & { readonly vocab: readonly string[] }): TgrgConfig {
  const config: TgrgConfig = { ...TGRG_DEFAULTS, ...partial };
  checkVocab(config.vocab);
  checkInts(config, POSITIVE_INTS, 1);
  checkInts(config, NON_NEGATIVE_INTS, 0);
  checkInt('topK', config.topK, 1);
  if (config.topK > TOPICS) throw new InvalidOptionError('topK', `at most ${TOPICS} (the number of topics)`, config.topK);
  checkRates(config, RATES);
  checkNonNegative(config, NON_NEGATIVE);
  checkMaxSeqLength(config.maxSeqLength);
  const v = config.visual as Partial<TgrgVisualConfig> | undefined;
  if (v?.kind !== 'resnet') throw new InvalidOptionError('visual.kind', "'resnet' (TGRG's ResNet-101 stand-in)", v?.kind);
  checkIntList('visual.channels', v.channels);
  return config;
}

/**
 * TGRG's KL annealing rate at a step: during the first epoch `min(⌊(step + 1) / every⌋ / steps, max)`
 * (the trainer counts batches from 1), afterwards `max`.
 */
export function klRate(config: Pick<TgrgConfig, 'klRateMax' | 'klAnnealEvery' | 'klRateSteps'>, step: number, epoch: number): number {
  if (epoch > 0) return config.klRateMax;
  return Math.min(Math.floor((step + 1) / config.klAnnealEvery) / config.klRateSteps, config.klRateMax);
}
