import { r2genTinyConfig } from '../r2gen/tiny-config';
import type { TgrgConfig } from './config';

/**
 * The test-scale configuration of `tgrg`: R2Gen's tiny setting (32 px, two views, three conv
 * stages 4/8/8 giving 4×4 patches per view, d 32, one layer everywhere), top-3 topics with 2-row
 * n-gram and node memories, and a fast KL annealing (one rate step every 2 batches) so that the
 * schedule is visible in tests.
 */
export function tgrgTinyConfig(vocab: readonly string[], seed = 7): TgrgConfig {
  // The optimiser keys are taken out and put back last, where TGRG's configuration lists them.
  const { clsHead: _h, clsWeight: _w, numLabels: _n, rmSlots: _s, rmHeads: _r, lrVisual, lrRest, weightDecay, ...base } = r2genTinyConfig(vocab, seed);
  return {
    ...base,
    visual: { kind: 'resnet', channels: [4, 8, 8] },
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
    lrVisual,
    lrRest,
    weightDecay,
  };
}
