import { InvalidOptionError } from '@came-grad/optim-core';
import { R2GEN_DEFAULTS, resolveR2GenConfig, type R2GenConfig } from '../r2gen/config';

/**
 * Complete configuration of the `wcl` adapter: R2Gen's keys plus WCL's own. R2Gen's optional cls
 * head (`clsHead`, `clsWeight`, `numLabels`) is the project's stand-in for the ImageNet-pretrained
 * extractor that the published WCL starts from (README, "Deviations").
 */
export interface WclConfig extends R2GenConfig {
  /** Width of the image and text projection MLPs (WCL `contra_embed_size` 256; small config 32). */
  readonly projectionDim: number;
  /** λ = `contra_lambda`: the task weights are lm 1 − λ and contrast λ (WCL 0.2). */
  readonly contraLambda: number;
  /**
   * The contrast task is active when the 1-based epoch (R2Gen's trainer counts from 1) exceeds
   * this, i.e. when `epoch + 1 > contraEpoch` for the 0-based host epoch (WCL script: 0, on from the start).
   */
  readonly contraEpoch: number;
  /** WCL's `--contra_temperature` (0.1), used only when {@link WclConfig.temperatureAsReleased} is false. */
  readonly contraTemperature: number;
  /**
   * Reproduce the released code, which hands `ContraLoss` the *sampling* temperature (1.0) instead
   * of `contraTemperature` (spec §6 misfits). Default true.
   */
  readonly temperatureAsReleased: boolean;
  /** Number of report clusters K of the weak supervision (K-means over TF-IDF in `prepare`). */
  readonly clusters: number;
}

/**
 * Defaults: R2Gen's §5 small configuration with its cls head on (task `cls`, weight 1: without a
 * label signal the from-scratch extractor was not read within 3,000 steps; `clsHead: false` gives the
 * published tasks), projection 64 → 32, λ 0.2 (lm 0.8, contrast 0.2), `contraEpoch` 0 (contrast
 * on from the first step, as WCL's script and suited to short runs), the released temperature
 * (1.0), and K = 14 report clusters.
 */
export const WCL_DEFAULTS: Readonly<Omit<WclConfig, 'vocab'>> = Object.freeze({
  ...R2GEN_DEFAULTS,
  clsHead: true,
  projectionDim: 32,
  contraLambda: 0.2,
  contraEpoch: 0,
  contraTemperature: 0.1,
  temperatureAsReleased: true,
  clusters: 14,
});

/**
 * Fills defaults into a partial configuration and validates it (R2Gen's keys by R2Gen's rules).
 * @throws InvalidOptionError naming the first bad option
 */
export function resolveWclConfig(partial: Partial<WclConfig> & { readonly vocab: readonly string[] }): WclConfig {
  const config: WclConfig = { ...WCL_DEFAULTS, ...partial };
  const { projectionDim, contraLambda, contraEpoch, contraTemperature, temperatureAsReleased, clusters, ...base } = config;
  resolveR2GenConfig(base);
  if (!Number.isInteger(projectionDim) || projectionDim < 1) throw new InvalidOptionError('projectionDim', 'an integer ≥ 1', projectionDim);
  if (!(contraLambda >= 0 && contraLambda <= 1)) throw new InvalidOptionError('contraLambda', 'a number in [0, 1]', contraLambda);
  if (!Number.isInteger(contraEpoch) || contraEpoch < 0) throw new InvalidOptionError('contraEpoch', 'an integer ≥ 0', contraEpoch);
  if (!(Number.isFinite(contraTemperature) && contraTemperature > 0)) throw new InvalidOptionError('contraTemperature', 'a finite number > 0', contraTemperature);
  if (typeof temperatureAsReleased !== 'boolean') throw new InvalidOptionError('temperatureAsReleased', 'a boolean', temperatureAsReleased);
  if (!Number.isInteger(clusters) || clusters < 2) throw new InvalidOptionError('clusters', 'an integer ≥ 2', clusters);
  return config;
}

/** The temperature the contrast loss uses: 1.0 as released, or `contraTemperature`. */
export function effectiveTemperature(config: WclConfig): number {
  return config.temperatureAsReleased ? 1 : config.contraTemperature;
}
