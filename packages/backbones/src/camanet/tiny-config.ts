import { r2genTinyConfig } from '../r2gen/tiny-config';
import type { CamanetConfig } from './config';

/**
 * The test-scale configuration of `camanet`: R2Gen's tiny setting (32 px, two views as in IU
 * X-Ray, so the CAM spans 8 patches; d 32, one encoder and one decoder layer, so VTAC reads
 * layer 0, the last one) with a DenseNet stand-in of one dense layer per block (stem 4, growth 4,
 * three blocks → 2×2 patches per view) and CAMANet's IU X-Ray weights and learning rates.
 */
export function camanetTinyConfig(vocab: readonly string[], seed = 7): CamanetConfig {
  const { clsHead: _h, clsWeight: _w, lrVisual: _lv, lrRest: _lr, weightDecay: _wd, ...base } = r2genTinyConfig(vocab, seed);
  return {
    ...base,
    visual: { kind: 'densenet', stem: 4, blocks: [1, 1, 1], growth: 4 },
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
