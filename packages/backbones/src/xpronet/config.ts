import { InvalidOptionError } from '@came-grad/optim-core';
import { checkInt, checkNonNegative } from '../adapter-kit/option-checks';
import { R2GEN_DEFAULTS, resolveR2GenConfig, type R2GenConfig } from '../r2gen/config';

/** Keys XProNet shares with R2Gen (R2GenCMN has no relational memory and no cls head). */
type BaseKeys = Omit<R2GenConfig, 'clsHead' | 'clsWeight' | 'numLabels' | 'rmSlots' | 'rmHeads'>;

/** Complete configuration of the `xpronet` adapter. */
export interface XProNetConfig extends BaseKeys {
  /** Label classes of the prototypes (the 14 CheXpert observations). */
  readonly numClasses: number;
  /** Prototypes per class (XProNet `num_protype` 20; small config 4). */
  readonly prototypesPerClass: number;
  /** Width of each prototype's text half (CheXbert 768 in the original; small config 32). The image half is the visual feature width. */
  readonly prototypeTextDim: number;
  /** Prototypes kept per query and head (XProNet 15; small config 4). */
  readonly topk: number;
  /** Weight ω of `proto_img` (XProNet `w_img` 1). */
  readonly protoImgWeight: number;
  /** Weight ω of `proto_txt` (XProNet `w_txt` 0.1). */
  readonly protoTxtWeight: number;
  /** Margin of the multi-label contrastive loss for pairs sharing no label (0.4). */
  readonly margin: number;
  /** α of the target similarity `1/α^(|l_i − l_j|₁ / Σ(l_i + l_j))` (1.5). */
  readonly alpha: number;
  /** Weight ω of `cls`, the label classifier that replaces reference labels at generation (no published value). */
  readonly clsWeight: number;
  /**
   * The classifier reads a stop-gradient copy of the pooled visual feature, so it does not change
   * what the three XProNet losses train. Default false: the classifier trains the visual extractor
   * too, as an image-trained label predictor (the README's DenseNet-121 alternative) would; a
   * detached linear probe stayed too close to the label prior to select any prototype (README).
   */
  readonly clsDetached: boolean;
  /** Probability at or above which a predicted label selects its prototypes at generation (0.5). */
  readonly labelThreshold: number;
}

const BASE_DEFAULTS = (({ clsHead: _h, clsWeight: _w, numLabels: _n, rmSlots: _s, rmHeads: _r, ...rest }) => rest)(R2GEN_DEFAULTS);

/**
 * Defaults: the §5 small configuration (64 px, d 64, 4 heads, d_ff 128, 2 + 2 layers) with
 * 14 classes × 4 prototypes of width 64 (image) + 32 (text), top-k 4, margin 0.4, α 1.5, task
 * weights lm 1, proto_img 1, proto_txt 0.1, and the label classifier at weight 1 (not detached).
 */
export const XPRONET_DEFAULTS: Readonly<Omit<XProNetConfig, 'vocab'>> = Object.freeze({
  ...BASE_DEFAULTS,
  numClasses: 14,
  prototypesPerClass: 4,
  prototypeTextDim: 32,
  topk: 4,
  protoImgWeight: 1,
  protoTxtWeight: 0.1,
  margin: 0.4,
  alpha: 1.5,
  clsWeight: 1,
  clsDetached: false,
  labelThreshold: 0.5,
});

/**
 * Fills defaults into a partial configuration and validates it (the shared keys by R2Gen's rules).
 * @throws InvalidOptionError naming the first bad option
 */
export function resolveXProNetConfig(partial: Partial<XProNetConfig> & { readonly vocab: readonly string[] }): XProNetConfig {
  const config: XProNetConfig = { ...XPRONET_DEFAULTS, ...partial };
  const {
    numClasses, prototypesPerClass, prototypeTextDim, topk, protoImgWeight, protoTxtWeight, margin, alpha, clsWeight, clsDetached, labelThreshold,
    ...base
  } = config;
  resolveR2GenConfig({ ...base, clsHead: false });
  checkInt('numClasses', numClasses, 1);
  checkInt('prototypesPerClass', prototypesPerClass, 1);
  checkInt('prototypeTextDim', prototypeTextDim, 1);
  checkInt('topk', topk, 1);
  if (topk > numClasses * prototypesPerClass) throw new InvalidOptionError('topk', `at most numClasses × prototypesPerClass = ${numClasses * prototypesPerClass}`, topk);
  checkNonNegative({ protoImgWeight, protoTxtWeight, margin, clsWeight }, ['protoImgWeight', 'protoTxtWeight', 'margin', 'clsWeight']);
  if (!(Number.isFinite(alpha) && alpha >= 1)) throw new InvalidOptionError('alpha', 'a finite number ≥ 1', alpha);
  if (typeof clsDetached !== 'boolean') throw new InvalidOptionError('clsDetached', 'a boolean', clsDetached);
  if (!(labelThreshold > 0 && labelThreshold < 1)) throw new InvalidOptionError('labelThreshold', 'a probability in (0, 1)', labelThreshold);
  return config;
}
