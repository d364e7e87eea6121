import type { XProNetConfig } from './config';

/**
 * The test-scale configuration of `xpronet`: 32 px, two views, conv stages 4/8/8, d 32, one
 * encoder and one decoder layer, 14 classes × 2 prototypes with text halves of 8, top-k 2.
 */
export function xpronetTinyConfig(vocab: readonly string[], seed = 7): XProNetConfig {
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
    lrVisual: 5e-5,
    lrRest: 1e-4,
    weightDecay: 5e-5,
    numClasses: 14,
    prototypesPerClass: 2,
    prototypeTextDim: 8,
    topk: 2,
    protoImgWeight: 1,
    protoTxtWeight: 0.1,
    margin: 0.4,
    alpha: 1.5,
    clsWeight: 1,
    clsDetached: true,
    labelThreshold: 0.5,
  };
}
