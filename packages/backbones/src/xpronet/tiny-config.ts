import { r2genTinyConfig } from '../r2gen/tiny-config';
import type { XProNetConfig } from './config';

/**
 * The test-scale configuration of `xpronet`: R2Gen's tiny setting (32 px, two views, conv stages
 * 4/8/8, d 32, one encoder and one decoder layer) without the relational memory, and 14 classes
 * × 2 prototypes with text halves of 8, top-k 2.
 */
export function xpronetTinyConfig(vocab: readonly string[], seed = 7): XProNetConfig {
  // XProNet's own clsWeight comes after its prototype keys, so R2Gen's is dropped with the head.
  const { clsHead: _h, clsWeight: _w, numLabels: _n, rmSlots: _s, rmHeads: _r, ...base } = r2genTinyConfig(vocab, seed);
  return {
    ...base,
    numClasses: 14,
    prototypesPerClass: 2,
    prototypeTextDim: 8,
    topk: 2,
    protoImgWeight: 1,
    protoTxtWeight: 0.1,
    margin: 0.4,
    alpha: 1.5,
    clsWeight: 1,
    clsDetached: false,
    labelThreshold: 0.5,
  };
}
