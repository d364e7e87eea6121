import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from '../params/parameter-store';
import { LAYER_NORM_EPS, layerNormalize } from './layer-norm';
import { Linear } from './linear';

/**
 * R2Gen's memory-driven conditional LayerNorm (MCLN): `γ̂ ⊙ x̂ + β̂` with `γ̂ = γ + MLP_γ(m)` and
 * `β̂ = β + MLP_β(m)`, where `m` is the flattened relational memory of each position. Each MLP is
 * `Linear(condDim → d) → ReLU → Linear(d → d)`, Xavier weights and bias 0.1 (R2Gen's
 * `ConditionalLayerNorm`).
 */
export class ConditionalLayerNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly #gamma1: Linear;
  readonly #gamma2: Linear;
  readonly #beta1: Linear;
  readonly #beta2: Linear;

  /** Creates `<prefix>.{gamma,beta,mlpGamma,mlpBeta}`. */
  constructor(store: ParameterStore, prefix: string, d: number, condDim: number, readonly eps: number = LAYER_NORM_EPS) {
    this.gamma = store.add(`${prefix}.gamma`, [d], { kind: 'ones' });
    this.beta = store.add(`${prefix}.beta`, [d], { kind: 'zeros' });
    const bias = { biasInit: { kind: 'constant', value: 0.1 } } as const;
    this.#gamma1 = new Linear(store, `${prefix}.mlpGamma.0`, condDim, d, bias);
    this.#gamma2 = new Linear(store, `${prefix}.mlpGamma.2`, d, d, bias);
    this.#beta1 = new Linear(store, `${prefix}.mlpBeta.0`, condDim, d, bias);
    this.#beta2 = new Linear(store, `${prefix}.mlpBeta.2`, d, d, bias);
  }

  /**
   * @param x `[B, T, d]`
   * @param memory `[B, T, condDim]`: the memory state at each position
   */
  apply(x: tf.Tensor3D, memory: tf.Tensor3D): tf.Tensor3D {
    const gammaHat = tf.add(this.gamma, this.#gamma2.apply(tf.relu(this.#gamma1.apply(memory))));
    const betaHat = tf.add(this.beta, this.#beta2.apply(tf.relu(this.#beta1.apply(memory))));
    return tf.add(tf.mul(gammaHat, layerNormalize(x, this.eps)), betaHat);
  }
}
