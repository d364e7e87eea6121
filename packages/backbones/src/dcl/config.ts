import { InvalidOptionError } from '@came-grad/optim-core';
import type { CommonConfig } from '../adapter-kit/common-config';
import { checkInt, checkInts, checkMaxSeqLength, checkNonNegative, checkVocab } from '../adapter-kit/option-checks';

/** Complete configuration of the `dcl` adapter. */
export interface DclConfig extends CommonConfig {
  /** Seed of every initialiser and of the initial queues. */
  readonly seed: number;
  /** Views per study: 2 (IU X-Ray: per-view ViT tokens concatenated on the feature axis → `iuProj`) or 1. */
  readonly views: number;
  /** ViT patch side (must divide `imageSize`). */
  readonly patchSize: number;
  /** Width of the ViT, the graph, the fusion and the text Transformer. */
  readonly dModel: number;
  /** ViT layers (the visual encoder). */
  readonly encoderLayers: number;
  /** Layers of the tied text encoder/decoder. */
  readonly decoderLayers: number;
  /** Layers of the graph encoder (DCL `TagEncoder`, 2). */
  readonly graphLayers: number;
  /** Layers of the knowledge fusion (DCL `cross_attn`, 2). */
  readonly fusionLayers: number;
  /** Learned nodes of the base graph (DCL's general chest graph has 28). */
  readonly baseNodes: number;
  /** Reports retrieved per study as specific-knowledge nodes (DCL top-3). */
  readonly retrievedNodes: number;
  /** Dropout of every Transformer. */
  readonly dropout: number;
  /** ITC embedding width (BLIP 256; §5: 32). */
  readonly itcDim: number;
  /** Queue length (§5: 256); must be divisible by the batch size. */
  readonly queueSize: number;
  /** Momentum of the momentum encoders (0.995). */
  readonly momentum: number;
  /** Distillation weight α of the momentum targets after the ramp (0.4). */
  readonly alpha: number;
  /** Steps over which α ramps linearly from 0 in epoch 0 (BLIP ramps over the first epoch). */
  readonly alphaRampSteps: number;
  /** Initial ITC temperature (0.07), clamped to [0.001, 0.5] where it is used. */
  readonly temperature: number;
  /** Learning rate of every parameter (DCL `build_optimizer_blip`: 1e-5). */
  readonly lr: number;
  /** Weight decay (DCL 5e-5). */
  readonly weightDecay: number;
}

/**
 * Defaults: the §5 small configuration (64 px, ViT patch 8, d 64, 4 heads, d_ff 128, 2 ViT layers,
 * 2 text layers, 1 graph and 1 fusion layer, 28 base nodes + 3 retrieved, ITC dim 32, queue 256,
 * momentum 0.995, α 0.4, τ₀ 0.07) with DCL's lr 1e-5 and weight decay 5e-5. `vocab` has no default.
 */
export const DCL_DEFAULTS: Readonly<Omit<DclConfig, 'vocab'>> = Object.freeze({
  seed: 0,
  imageSize: 64,
  views: 1,
  channels: 3,
  maxSeqLength: 60,
  patchSize: 8,
  dModel: 64,
  heads: 4,
  dFF: 128,
  encoderLayers: 2,
  decoderLayers: 2,
  graphLayers: 1,
  fusionLayers: 1,
  baseNodes: 28,
  retrievedNodes: 3,
  dropout: 0.1,
  itcDim: 32,
  queueSize: 256,
  momentum: 0.995,
  alpha: 0.4,
  alphaRampSteps: 200,
  temperature: 0.07,
  lr: 1e-5,
  weightDecay: 5e-5,
} as const);

const POSITIVE_INTS = ['imageSize', 'views', 'channels', 'maxSeqLength', 'patchSize', 'dModel', 'heads', 'dFF', 'baseNodes', 'retrievedNodes', 'itcDim', 'queueSize'] as const;
const NON_NEGATIVE_INTS = ['encoderLayers', 'decoderLayers', 'graphLayers', 'fusionLayers', 'alphaRampSteps'] as const;
const UNIT = ['dropout', 'momentum', 'alpha'] as const;
const NON_NEGATIVE = ['lr', 'weightDecay'] as const;

/**
 * Fills defaults into a partial configuration and validates it.
 * @throws InvalidOptionError naming the first bad option
 */
export function resolveDclConfig(partial: Partial<DclConfig> & { readonly vocab: readonly string[] }): DclConfig {
  const config: DclConfig = { ...DCL_DEFAULTS, ...partial };
  checkVocab(config.vocab);
  checkInt('seed', config.seed, 0);
  checkInts(config, POSITIVE_INTS, 1);
  checkInts(config, NON_NEGATIVE_INTS, 0);
  for (const k of UNIT) if (!(config[k] >= 0 && config[k] < 1)) throw new InvalidOptionError(k, 'a number in [0, 1)', config[k]);
  checkNonNegative(config, NON_NEGATIVE);
  if (!(config.temperature >= 0.001 && config.temperature <= 0.5)) throw new InvalidOptionError('temperature', 'in [0.001, 0.5] (the clamp range)', config.temperature);
  if (config.imageSize % config.patchSize !== 0) throw new InvalidOptionError('patchSize', `a divisor of imageSize = ${config.imageSize}`, config.patchSize);
  if (config.views > 2) throw new InvalidOptionError('views', '1 or 2 (DCL reads one view, or two through iu_proj)', config.views);
  if (config.retrievedNodes > config.queueSize) throw new InvalidOptionError('retrievedNodes', `at most queueSize = ${config.queueSize}`, config.retrievedNodes);
  checkMaxSeqLength(config.maxSeqLength);
  return config;
}
