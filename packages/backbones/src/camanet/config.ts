import { InvalidOptionError } from '@came-grad/optim-core';
import type { CommonConfig } from '../adapter-kit/common-config';
import { R2GEN_DEFAULTS } from '../r2gen/config';
import { checkInt, checkInts, checkIntList, checkMaxSeqLength, checkNonNegative, checkRates, checkVocab } from '../adapter-kit/option-checks';

/** The DenseNet-style stand-in for DenseNet-121 (`blocks/densenet-extractor`). */
export interface CamanetVisualConfig {
  readonly kind: 'densenet';
  /** Channels of the stride-2 stem. */
  readonly stem: number;
  /** Dense layers per block; each block ends with a transition that halves the side. */
  readonly blocks: readonly number[];
  /** Channels each dense layer adds. */
  readonly growth: number;
}

/** Complete configuration of the `camanet` adapter. */
export interface CamanetConfig extends CommonConfig {
  /** Views per study (IU X-Ray 2: the CAM then spans both views' patches, as in CAMANet). */
  readonly views: number;
  readonly visual: CamanetVisualConfig;
  /** Dropout of the Transformer, embeddings and memory (R2Gen 0.1). */
  readonly dropout: number;
  /** Dropout after `att_embed` (R2Gen `drop_prob_lm` 0.5). */
  readonly attEmbedDropout: number;
  readonly rmSlots: number;
  readonly rmHeads: number;
  /** Labels of the multi-label head (14 CheXpert observations). */
  readonly numLabels: number;
  /** ω of `bce` (CAMANet `cls_w` 1). */
  readonly bceWeight: number;
  /** ω of `attn_mse` (CAMANet `mse_w`: 0.15 IU X-Ray, 0.5 MIMIC-CXR). */
  readonly mseWeight: number;
  /** Fraction of decoder positions whose attention maps enter VTAC (CAMANet `topk`: 0.25 IU, 0.3 MIMIC). */
  readonly topk: number;
  /**
   * Decoder layer whose cross-attention is compared with the CAM (CAMANet `layer_id` 2, 0-based,
   * the last of 3 layers). Clamped to the last layer when the decoder is shallower.
   */
  readonly attnLayer: number;
  /**
   * Reproduces the official code, which compares the words with the first encoded *patch* token
   * instead of the encoded foreground token the paper describes (spec §2.5). Off by default.
   */
  readonly vtacFirstPatchToken: boolean;
  /** Learning rate of the visual extractor (CAMANet IU `lr_ve` 1e-3). */
  readonly lrVisual: number;
  /** Learning rate of everything else (CAMANet IU `lr_ed` 2e-3). */
  readonly lrRest: number;
  /** Weight decay of both groups (5e-5). */
  readonly weightDecay: number;
}

/**
 * Defaults: the §5 small configuration (R2Gen's: d 64, 4 heads, d_ff 128, 2 + 2 layers, RM 3
 * slots; here 64 px → 4×4 patches per view through three dense blocks) with CAMANet's IU X-Ray
 * task weights (lm 1, bce 1, attn_mse 0.15), `topk` 0.25, layer 2 and learning rates 1e-3 / 2e-3.
 */
export const CAMANET_DEFAULTS: Readonly<Omit<CamanetConfig, 'vocab'>> = Object.freeze({
  ...(({ clsHead: _h, clsWeight: _w, lrVisual: _lv, lrRest: _lr, weightDecay: _wd, ...body }) => body)(R2GEN_DEFAULTS),
  visual: Object.freeze({ kind: 'densenet', stem: 16, blocks: Object.freeze([2, 2, 2]), growth: 16 }),
  bceWeight: 1,
  mseWeight: 0.15,
  topk: 0.25,
  attnLayer: 2,
  vtacFirstPatchToken: false,
  lrVisual: 1e-3,
  lrRest: 2e-3,
  weightDecay: 5e-5,
} as const);

const POSITIVE_INTS = ['imageSize', 'views', 'channels', 'maxSeqLength', 'dModel', 'heads', 'dFF', 'decoderLayers', 'rmSlots', 'rmHeads', 'numLabels'] as const;
const NON_NEGATIVE_INTS = ['seed', 'encoderLayers', 'attnLayer'] as const;
const RATES = ['dropout', 'attEmbedDropout'] as const;
const NON_NEGATIVE = ['bceWeight', 'mseWeight', 'lrVisual', 'lrRest', 'weightDecay'] as const;

/**
 * Fills defaults into a partial configuration and validates it.
 * @throws InvalidOptionError naming the first bad option
 */
export function resolveCamanetConfig(partial: Partial<CamanetConfig> & { readonly vocab: readonly string[] }): CamanetConfig {
  const config: CamanetConfig = { ...CAMANET_DEFAULTS, ...partial };
  checkVocab(config.vocab);
  checkInts(config, POSITIVE_INTS, 1);
  checkInts(config, NON_NEGATIVE_INTS, 0);
  checkRates(config, RATES);
  checkNonNegative(config, NON_NEGATIVE);
  if (!(config.topk > 0 && config.topk <= 1)) throw new InvalidOptionError('topk', 'a fraction in (0, 1]', config.topk);
  if (typeof config.vtacFirstPatchToken !== 'boolean') throw new InvalidOptionError('vtacFirstPatchToken', 'a boolean', config.vtacFirstPatchToken);
  checkMaxSeqLength(config.maxSeqLength);
  const v = config.visual as Partial<CamanetVisualConfig> | undefined;
  if (v?.kind !== 'densenet') throw new InvalidOptionError('visual.kind', "'densenet' (CAMANet's DenseNet-121 stand-in)", v?.kind);
  checkInt('visual.stem', v.stem, 1);
  checkInt('visual.growth', v.growth, 1);
  checkIntList('visual.blocks', v.blocks);
  return config;
}
