import type { CamanetConfig } from './config';

/**
 * The test-scale configuration of `camanet`: 32 px, two views (the IU X-Ray layout, so the CAM
 * spans 8 patches), a DenseNet stand-in with one dense layer per block (stem 4, growth 4, three
 * blocks → 2×2 patches per view), d 32, one encoder and one decoder layer (so VTAC reads layer 0,
 * the last one).
 */
export function camanetTinyConfig(vocab: readonly string[], seed = 7): CamanetConfig {
  return {
    vocab,
    seed,
    imageSize: 32,
    views: 2,
    channels: 1,
    maxSeqLength: 12,
    visual: { kind: 'densenet', stem: 4, blocks: [1, 1, 1], growth: 4 },
    dModel: 32,
    heads: 2,
    dFF: 64,
    encoderLayers: 1,
    decoderLayers: 1,
    dropout: 0.1,
    attEmbedDropout: 0.5,
    rmSlots: 3,
    rmHeads: 2,
    numLabels: 14,
    bceWeight: 1,
    mseWeight: 0.15,
    topk: 0.25,
    attnLayer: 2,
    vtacFirstPatchToken: false,
    lrVisual: 1e-3,
    lrRest: 2e-3,
    weightDecay: 5e-5,
  };
}
