import { InvalidOptionError } from '@came-grad/optim-core';
import type { CommonConfig } from '../adapter-kit/common-config';
import {
  checkInt, checkInts, checkIntList, checkMaxSeqLength, checkNonNegative, checkPositive, checkRates, checkVocab,
} from '../adapter-kit/option-checks';

/** Geometry of the learnable retrieval encoder. */
export type RetrievalGeometry = 'poincare' | 'euclidean';

/** Complete configuration of the `revtaf` adapter. */
export interface RevtafConfig extends CommonConfig {
  /** Seed of every initialiser and of the report bank's projection. */
  readonly seed: number;
  /** Views of the dataset; REVTAF (like PromptMRG) reads one image, so only view 0 is used. */
  readonly views: number;
  /** Widths of the stride-2 stages of the ResNet-101 stand-in. */
  readonly stages: readonly number[];
  /** Layers of PromptMRG's retrieval-memory Transformer on each side. */
  readonly encoderLayers: number;
  /** Width of the report bank (sentence and report embeddings; MedCLIP's 512 at test scale). */
  readonly retrievalDim: number;
  /** Reports retrieved by PromptMRG's memory for the cls branch. */
  readonly retrievalK: number;
  readonly memoryHeads: number;
  readonly memoryDFF: number;
  readonly retrievalTemperature: number;
  /** Side of the region grid summarising the CNN activations (4 → 16 regions, MedKLIP's 75 at test scale). */
  readonly regionGrid: number;
  /** Geometry of the hyperbolic retrieval encoder (Poincaré ball, or the spec's Euclidean fallback). */
  readonly geometry: RetrievalGeometry;
  /** Curvature c of the Poincaré ball (REVTAF 0.01). */
  readonly curvature: number;
  /** Layers of the retrieval encoder (REVTAF 3). */
  readonly hnnLayers: number;
  /** Width of the retrieval encoder (REVTAF 512). */
  readonly hnnDim: number;
  /** Width of the optimal-transport cross-attention (REVTAF 1024). */
  readonly otDim: number;
  /** Fixed Sinkhorn iterations (REVTAF up to 100; 10–20 here). */
  readonly sinkhornIterations: number;
  /** Entropic regularisation ε of Sinkhorn (REVTAF 0.05). */
  readonly sinkhornEpsilon: number;
  /** Sentences kept from a retrieved report. */
  readonly maxSentences: number;
  /** Training studies remembered for retrieval at inference (embedding → sentences). */
  readonly queueSize: number;
  /** Weight ω of `cls` (4). */
  readonly clsWeight: number;
  /** Weight ω of `align` (0.5 in the script). */
  readonly alignWeight: number;
  /** Weight ω of `rank` (2 in the script). */
  readonly rankWeight: number;
  /** Threshold of the binarised attention maps of the alignment loss (0.5). */
  readonly alignThreshold: number;
  readonly basePriorFloor: number;
  readonly lr: number;
  readonly weightDecay: number;
}

/**
 * Defaults: PromptMRG's test-scale configuration (3 CNN stages 16/32/64, d 64, memory 1 + 1 layers
 * of width 32, k = 5) plus REVTAF's learnable retrieval (Poincaré ball c = 0.01, 3 layers of width
 * 32), OT attention of width 64 with 10 Sinkhorn iterations at ε = 0.05, and the script's task
 * weights cls 4, align 0.5, rank 2. `vocab` has no default.
 */
export const REVTAF_DEFAULTS: Readonly<Omit<RevtafConfig, 'vocab'>> = Object.freeze({
  seed: 0,
  imageSize: 64,
  views: 1,
  channels: 3,
  maxSeqLength: 60,
  stages: Object.freeze([16, 32, 64]),
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
  regionGrid: 4,
  geometry: 'poincare',
  curvature: 0.01,
  hnnLayers: 3,
  hnnDim: 32,
  otDim: 64,
  sinkhornIterations: 10,
  sinkhornEpsilon: 0.05,
  maxSentences: 8,
  queueSize: 512,
  clsWeight: 4,
  alignWeight: 0.5,
  rankWeight: 2,
  alignThreshold: 0.5,
  basePriorFloor: 1e-3,
  lr: 5e-5,
  weightDecay: 0.05,
} as const);

const POSITIVE_INTS = [
  'imageSize', 'views', 'channels', 'maxSeqLength', 'dModel', 'heads', 'dFF', 'retrievalDim', 'retrievalK', 'memoryHeads', 'memoryDFF',
  'regionGrid', 'hnnLayers', 'hnnDim', 'otDim', 'sinkhornIterations', 'maxSentences', 'queueSize',
] as const;
const POSITIVE = ['retrievalTemperature', 'curvature', 'sinkhornEpsilon', 'basePriorFloor'] as const;
const NON_NEGATIVE = ['clsWeight', 'alignWeight', 'rankWeight', 'lr', 'weightDecay'] as const;

/** Side of the final CNN map for a configuration. */
export function finalSide(config: Pick<RevtafConfig, 'imageSize' | 'stages'>): number {
  let side = config.imageSize;
  for (let i = 0; i < config.stages.length; i++) side = Math.ceil(side / 2);
  return side;
}

/**
 * Fills defaults into a partial configuration and validates it.
 * @throws InvalidOptionError naming the first bad option
 */
export function resolveRevtafConfig(partial: Partial<RevtafConfig> & { readonly vocab: readonly string[] }): RevtafConfig {
  const config: RevtafConfig = { ...REVTAF_DEFAULTS, ...partial };
  checkVocab(config.vocab);
  checkInt('seed', config.seed, 0);
  checkInts(config, POSITIVE_INTS, 1);
  checkInts(config, ['encoderLayers', 'decoderLayers'], 0);
  checkRates(config, ['dropout']);
  checkPositive(config, POSITIVE);
  checkNonNegative(config, NON_NEGATIVE);
  if (!(config.alignThreshold > 0 && config.alignThreshold <= 1)) throw new InvalidOptionError('alignThreshold', 'a number in (0, 1]', config.alignThreshold);
  if (config.geometry !== 'poincare' && config.geometry !== 'euclidean') throw new InvalidOptionError('geometry', "'poincare' or 'euclidean'", config.geometry);
  checkMaxSeqLength(config.maxSeqLength);
  checkIntList('stages', config.stages);
  const side = finalSide(config);
  if (side % config.regionGrid !== 0) {
    throw new InvalidOptionError('regionGrid', `a divisor of the final CNN map side ${side} (imageSize ${config.imageSize} after ${config.stages.length} stride-2 stages)`, config.regionGrid);
  }
  return config;
}
