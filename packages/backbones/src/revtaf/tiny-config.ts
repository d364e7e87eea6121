import type { RevtafConfig } from './config';

/**
 * The test-scale configuration of `revtaf` used by the contract suite: 32 px, one view, two CNN
 * stages 4/8 (8×8 tokens, 2×2 regions), d 32, one decoder layer, retrieval width 16, a 2-layer
 * Poincaré encoder of width 8, OT width 16 with 10 Sinkhorn iterations, a queue of 8 studies.
 */
export function revtafTinyConfig(vocab: readonly string[], seed = 7): RevtafConfig {
  return {
    vocab,
    seed,
    imageSize: 32,
    views: 1,
    channels: 1,
    maxSeqLength: 12,
    stages: [4, 8],
    dModel: 32,
    heads: 2,
    dFF: 64,
    encoderLayers: 1,
    decoderLayers: 1,
    dropout: 0.1,
    retrievalDim: 16,
    retrievalK: 2,
    memoryHeads: 2,
    memoryDFF: 32,
    retrievalTemperature: 0.1,
    regionGrid: 2,
    geometry: 'poincare',
    curvature: 0.01,
    hnnLayers: 2,
    hnnDim: 8,
    otDim: 16,
    sinkhornIterations: 10,
    sinkhornEpsilon: 0.05,
    maxSentences: 3,
    queueSize: 8,
    clsWeight: 4,
    alignWeight: 0.5,
    rankWeight: 2,
    alignThreshold: 0.5,
    basePriorFloor: 1e-3,
    lr: 5e-5,
    weightDecay: 0.05,
  };
}
