import { InvalidOptionError } from '@came-grad/optim-core';
import type { VisualConfig } from '../blocks/create-visual-extractor';
import type { BackboneConfig, JsonValue } from '../contract';

/** Complete configuration of the `r2gen` adapter. */
export interface R2GenConfig {
  /** Vocabulary, ids 1 … V in order, containing `<unk>` (built by `@came-grad/datasets`). */
  readonly vocab: readonly string[];
  /** Seed of every initialiser. */
  readonly seed: number;
  /** Square image side. */
  readonly imageSize: number;
  /** Views per study (IU X-Ray 2, MIMIC-CXR 1). */
  readonly views: number;
  /** Image channels. */
  readonly channels: number;
  /** Training sequence length including BOS and EOS (IU 60, MIMIC 100). */
  readonly maxSeqLength: number;
  readonly visual: VisualConfig;
  /** Model width d. */
  readonly dModel: number;
  readonly heads: number;
  readonly dFF: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
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

function checkInt(name: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InvalidOptionError(name, `an integer ≥ ${min}`, v);
}

function checkVisual(v: VisualConfig): void {
  const ints = (name: string, list: readonly number[]): void => {
    if (!Array.isArray(list) || list.length === 0) throw new InvalidOptionError(name, 'a non-empty list of positive integers', list);
    list.forEach((x, i) => checkInt(`${name}[${i}]`, x, 1));
  };
  switch (v.kind) {
    case 'resnet':
      return ints('visual.channels', v.channels);
    case 'densenet':
      checkInt('visual.stem', v.stem, 1);
      checkInt('visual.growth', v.growth, 1);
      return ints('visual.blocks', v.blocks);
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
  if (!Array.isArray(config.vocab)) throw new InvalidOptionError('vocab', 'an array of words', config.vocab);
  checkInt('seed', config.seed, 0);
  for (const k of POSITIVE_INTS) checkInt(k, config[k], 1);
  for (const k of NON_NEGATIVE_INTS) checkInt(k, config[k], 0);
  for (const k of RATES) if (!(config[k] >= 0 && config[k] < 1)) throw new InvalidOptionError(k, 'a rate in [0, 1)', config[k]);
  for (const k of NON_NEGATIVE) if (!(Number.isFinite(config[k]) && config[k] >= 0)) throw new InvalidOptionError(k, 'a finite number ≥ 0', config[k]);
  if (typeof config.clsHead !== 'boolean') throw new InvalidOptionError('clsHead', 'a boolean', config.clsHead);
  if (config.maxSeqLength < 2) throw new InvalidOptionError('maxSeqLength', 'at least 2 (BOS and EOS)', config.maxSeqLength);
  checkVisual(config.visual);
  return config;
}

/** The configuration as a fresh JSON object (no shared arrays with the adapter). */
export function r2genConfigToJson(config: R2GenConfig): BackboneConfig {
  return JSON.parse(JSON.stringify(config)) as { [key: string]: JsonValue };
}
