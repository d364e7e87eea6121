import type { TgrgConfig } from './config';

/**
 * The test-scale configuration of `tgrg`: 32 px, two views, three conv stages 4/8/8 (4×4 patches
 * per view), d 32, one layer everywhere, top-3 topics with 2-row n-gram and node memories, and a
 * fast KL annealing (one rate step every 2 batches) so that the schedule is visible in tests.
 */
export function tgrgTinyConfig(vocab: readonly string[], seed = 7): TgrgConfig {
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
    topK: 3,
    gramSlots: 2,
    nodeSlots: 2,
    noiseScale: 0.1,
    noiseSamples: 5,
    priorPower: 1.5,
    topicWeight: 0.04,
    bowWeight: 0.05,
    klWeight: 0.002,
    klRateMax: 0.4,
    klAnnealEvery: 2,
    klRateSteps: 20,
    lrVisual: 5e-5,
    lrRest: 1e-4,
    weightDecay: 5e-5,
  };
}
