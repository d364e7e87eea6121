import { r2genTinyConfig } from '../r2gen/tiny-config';
import type { WclConfig } from './config';

/**
 * The test-scale configuration of `wcl`: R2Gen's tiny setting (32 px, two views, conv stages
 * 4/8/8, d 32, one encoder and one decoder layer, the cls head) with projections 32 → 16 and 4 report
 * clusters.
 */
export function wclTinyConfig(vocab: readonly string[], seed = 7): WclConfig {
  return {
    ...r2genTinyConfig(vocab, seed),
    projectionDim: 16,
    contraLambda: 0.2,
    contraEpoch: 0,
    contraTemperature: 0.1,
    temperatureAsReleased: true,
    clusters: 4,
  };
}
