import * as tf from '@tensorflow/tfjs-core';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { gelu } from './gelu';
import { Linear } from './linear';

/** Activation of {@link FeedForward}: ReLU in the R2Gen family, GELU in ViT/BERT-style blocks. */
export type Activation = 'relu' | 'gelu';

/** Position-wise feed-forward `w2(dropout(act(w1 x)))`. */
export class FeedForward {
  readonly #w1: Linear;
  readonly #w2: Linear;

  /** Creates `<prefix>.w1` (`d → dFF`) and `<prefix>.w2` (`dFF → d`). */
  constructor(store: ParameterStore, readonly prefix: string, d: number, dFF: number, readonly dropoutRate: number, readonly activation: Activation = 'relu') {
    this.#w1 = new Linear(store, `${prefix}.w1`, d, dFF);
    this.#w2 = new Linear(store, `${prefix}.w2`, dFF, d);
  }

  /** Applies the block to `[…, d]`. */
  apply<T extends tf.Tensor>(x: T, scope: ForwardScope): T {
    const h = this.#w1.apply(x);
    const a = this.activation === 'relu' ? tf.relu(h) : gelu(h);
    return this.#w2.apply(dropout(a, this.dropoutRate, `${this.prefix}.dropout`, scope));
  }
}
