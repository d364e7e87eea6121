import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from '../params/parameter-store';
import type { Initializer } from '../random/initializers';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Weight initialiser; default Xavier uniform (R2Gen re-initialises every matrix so). */
  readonly weightInit?: Initializer;
  /** Bias initialiser; default PyTorch's U(±1/√in); `null` for no bias. */
  readonly biasInit?: Initializer | null;
}

/** `y = x W + b` over the last axis of any-rank input; `W` is `[in, out]`. */
export class Linear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | undefined;

  /** Creates `<prefix>.weight` (and `<prefix>.bias`). */
  constructor(store: ParameterStore, prefix: string, readonly inDim: number, readonly outDim: number, options: LinearOptions = {}) {
    this.weight = store.add(`${prefix}.weight`, [inDim, outDim], options.weightInit ?? { kind: 'xavierUniform' });
    const biasInit = options.biasInit === undefined ? { kind: 'fanInUniform' as const, fanIn: inDim } : options.biasInit;
    this.bias = biasInit === null ? undefined : store.add(`${prefix}.bias`, [outDim], biasInit);
  }

  /** Applies the layer to the last axis. */
  apply<T extends tf.Tensor>(x: T): T {
    const lead = x.shape.slice(0, -1);
    const flat = x.rank === 2 ? (x as unknown as tf.Tensor2D) : tf.reshape(x, [-1, this.inDim]) as tf.Tensor2D;
    const y = this.bias === undefined ? tf.matMul(flat, this.weight as tf.Tensor2D) : tf.add(tf.matMul(flat, this.weight as tf.Tensor2D), this.bias);
    return (x.rank === 2 ? y : tf.reshape(y, [...lead, this.outDim])) as T;
  }
}
