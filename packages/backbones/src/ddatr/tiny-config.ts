import type { DDaTRConfig } from './config';

/**
 * The test-scale configuration of `ddatr` used by the contract suite: 32 px, one view, two
 * stages 4/8 per stream (8×8 tokens), d 32, one decoder layer, a 16-d frozen embedding bag.
 */
export function ddatrTinyConfig(vocab: readonly string[], seed = 7): DDaTRConfig {
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
    textDim: 16,
    dropout: 0.1,
    clsWeight: 4,
    splitPriorCls: false,
    ldcTheta: 0.7,
    minBaseProb: 1e-3,
    lr: 5e-5,
    weightDecay: 0.05,
  };
}
