import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import type { ParameterStore } from '../params/parameter-store';
import { DifferenceConv } from './difference-conv';

/**
 * DDaTR's dynamic difference-aware `FeatureFusion` at one stage: learnable difference convolutions
 * on the current and the prior maps, a channel map `σ(GAP(cur − prior))` that weighs where the two
 * studies differ, and `Linear(2c → c)` over `[cur′ ; map ⊙ (cur′ − prior′)]`. The caller gates the
 * result with `has_progress` and adds it to the current stream.
 */
export class DifferenceFusion {
  readonly #ldcCur: DifferenceConv;
  readonly #ldcPrior: DifferenceConv;
  readonly #merge: Linear;

  /** Creates `<prefix>.{ldcCur,ldcPrior,merge}`. */
  constructor(store: ParameterStore, prefix: string, readonly channels: number, theta: number) {
    this.#ldcCur = new DifferenceConv(store, `${prefix}.ldcCur`, channels, theta);
    this.#ldcPrior = new DifferenceConv(store, `${prefix}.ldcPrior`, channels, theta);
    this.#merge = new Linear(store, `${prefix}.merge`, 2 * channels, channels);
  }

  /** `[N, h, w, c]` × 2 → the fusion update `[N, h, w, c]`. */
  apply(cur: tf.Tensor4D, prior: tf.Tensor4D): tf.Tensor4D {
    const c = this.#ldcCur.apply(cur);
    const diff = tf.sub(c, this.#ldcPrior.apply(prior));
    const channelMap = tf.sigmoid(tf.mean(diff, [1, 2], true));
    return this.#merge.apply(tf.concat([c, tf.mul(channelMap, diff)], 3) as tf.Tensor4D);
  }
}
