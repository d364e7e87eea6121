import type { PromptMRGConfig } from './config';

/**
 * The test-scale configuration of `promptmrg`: 32 px, one view, three conv stages 4/8/8 (16
 * tokens), decoder d 32 with one layer, memory Transformer width 16 with one layer a side, k = 3.
 */
export function promptmrgTinyConfig(vocab: readonly string[], seed = 7): PromptMRGConfig {
  return {
    vocab,
    seed,
    imageSize: 32,
    views: 1,
    channels: 1,
    maxSeqLength: 12,
    visual: { kind: 'resnet', channels: [4, 8, 8] },
    dModel: 32,
    heads: 2,
    dFF: 64,
    encoderLayers: 1,
    decoderLayers: 1,
    dropout: 0.1,
    retrievalDim: 16,
    retrievalK: 3,
    memoryHeads: 2,
    memoryDFF: 32,
    retrievalTemperature: 0.1,
    clsWeight: 4,
    basePriorFloor: 1e-3,
    lr: 5e-5,
    weightDecay: 0.05,
  };
}
