import type { DclConfig } from './config';

/**
 * The test-scale configuration of `dcl`: 16 px, two views (the IU X-Ray layout, joined by
 * `iuProj`), patch 8 (4 tokens per view), d 16, one layer everywhere, 6 base nodes + 2 retrieved,
 * ITC dim 8, queue 8 (divisible by the suite's batch of 2).
 */
export function dclTinyConfig(vocab: readonly string[], seed = 7): DclConfig {
  return {
    vocab,
    seed,
    imageSize: 16,
    views: 2,
    channels: 1,
    maxSeqLength: 10,
    patchSize: 8,
    dModel: 16,
    heads: 2,
    dFF: 32,
    encoderLayers: 1,
    decoderLayers: 1,
    graphLayers: 1,
    fusionLayers: 1,
    baseNodes: 6,
    retrievedNodes: 2,
    dropout: 0.1,
    itcDim: 8,
    queueSize: 8,
    momentum: 0.995,
    alpha: 0.4,
    alphaRampSteps: 10,
    temperature: 0.07,
    lr: 1e-5,
    weightDecay: 5e-5,
  };
}
