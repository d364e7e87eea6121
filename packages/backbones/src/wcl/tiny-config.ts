import type { WclConfig } from './config';

/**
 * The test-scale configuration of `wcl`: R2Gen's tiny setting (32 px, two views, conv stages
 * 4/8/8, d 32, one encoder and one decoder layer) with projections 32 → 16 and 4 report clusters.
 */
export function wclTinyConfig(vocab: readonly string[], seed = 7): WclConfig {
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
    lrVisual: 5e-5,
    lrRest: 1e-4,
    weightDecay: 5e-5,
    projectionDim: 16,
    contraLambda: 0.2,
    contraEpoch: 0,
    contraTemperature: 0.1,
    temperatureAsReleased: true,
    clusters: 4,
  };
}
