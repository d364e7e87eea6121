import type { BackboneConfig } from '@came-grad/backbones';

/** Named model sizes. */
export type ModelSize = 'tiny' | 'small' | 'base';

/**
 * Presets of the configuration keys every backbone shares (`specs/backbones.md` §5). Each
 * backbone keeps its own defaults for everything else (memory slots, prototypes, topics, ...),
 * and `--backbone-config` overrides any key.
 * - `tiny`: tests and smoke runs (32 px, d 32, one layer each side).
 * - `small`: the bench's quick profile, the spec's "small TF.js versions" (64 px, d 64, 2 + 2 layers).
 * - `base`: the bench's full profile (96 px, d 128, 3 + 3 layers).
 */
export const MODEL_SIZES: Readonly<Record<ModelSize, { imageSize: number; channels: 1 | 3; backbone: BackboneConfig }>> = Object.freeze({
  tiny: { imageSize: 32, channels: 1, backbone: { dModel: 32, heads: 2, dFF: 64, encoderLayers: 1, decoderLayers: 1 } },
  small: { imageSize: 64, channels: 1, backbone: { dModel: 64, heads: 4, dFF: 128, encoderLayers: 2, decoderLayers: 2 } },
  base: { imageSize: 96, channels: 1, backbone: { dModel: 128, heads: 4, dFF: 256, encoderLayers: 3, decoderLayers: 3 } },
});
