import type { R2GenConfig } from './config';

/**
 * The test-scale configuration of `r2gen` used by the contract suite: 32 px, two views (the IU
 * X-Ray layout), three conv stages 4/8/8 (4×4 patches per view), d 32, one encoder and one
 * decoder layer. It trains in milliseconds per step on the cpu backend.
 */
export function r2genTinyConfig(vocab: readonly string[], seed = 7): R2GenConfig {
  return {
    vocab,
    seed,
    imageSize: 32,
    views: 2,
    channels: 1,
    maxSeqLength: 12,
    visual: { kind: 'resnet', channels: [4, 8, 8] },
    dModel: 32,
    heads: 2,
    dFF: 64,
    encoderLayers: 1,
    decoderLayers: 1,
    dropout: 0.1,
    attEmbedDropout: 0.5,
    rmSlots: 3,
    rmHeads: 2,
    clsHead: true,
    clsWeight: 1,
    numLabels: 14,
    lrVisual: 5e-5,
    lrRest: 1e-4,
    weightDecay: 5e-5,
  };
}
