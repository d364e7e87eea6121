import * as tf from '@tensorflow/tfjs-core';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { Linear } from './linear';
import { MultiHeadAttention } from './multi-head-attention';

/** Sizes of a {@link RelationalMemory}. */
export interface RelationalMemoryOptions {
  /** Memory slots (R2Gen `rm_num_slots`, 3). */
  readonly slots: number;
  /** Slot width = the model width d. */
  readonly d: number;
  /** Attention heads (R2Gen `rm_num_heads`). */
  readonly heads: number;
  /** Attention dropout. */
  readonly dropout: number;
}

/**
 * R2Gen's relational memory (Chen et al., EMNLP 2020, `RelationalMemory`). For each step with
 * input `y_t`:
 * - `M' = M + MHA(q = M, k = v = [M; y_t])`, `M' = M' + MLP(M')` (MLP = 2 × (Linear + ReLU));
 * - `[i, f] = σ(W y_t + U tanh(M))`, `M_t = i ⊙ tanh(M') + f ⊙ M`.
 *
 * The initial memory is identity rows padded with zeros. Outputs are the flattened states
 * `[B, T, slots·d]` that condition MCLN.
 */
export class RelationalMemory {
  readonly #attn: MultiHeadAttention;
  readonly #mlp1: Linear;
  readonly #mlp2: Linear;
  readonly #w: Linear;
  readonly #u: Linear;

  /** Creates `<prefix>.{attn,mlp,W,U}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: RelationalMemoryOptions) {
    const { d, heads, dropout } = options;
    this.#attn = new MultiHeadAttention(store, `${prefix}.attn`, d, heads, dropout);
    this.#mlp1 = new Linear(store, `${prefix}.mlp.0`, d, d);
    this.#mlp2 = new Linear(store, `${prefix}.mlp.2`, d, d);
    this.#w = new Linear(store, `${prefix}.W`, d, 2 * d);
    this.#u = new Linear(store, `${prefix}.U`, d, 2 * d);
  }

  /** The initial memory `[B, slots, d]`: identity rows padded with zeros. */
  initialState(batch: number): tf.Tensor3D {
    const { slots, d } = this.options;
    return tf.tidy(() => {
      const eye = tf.slice(tf.eye(slots, Math.max(slots, d)), [0, 0], [slots, d]);
      return tf.tile(tf.reshape(eye, [1, slots, d]), [batch, 1, 1]) as tf.Tensor3D;
    });
  }

  /** One step: memory `[B, slots, d]` and input `[B, d]` → next memory `[B, slots, d]`. */
  step(memory: tf.Tensor3D, input: tf.Tensor2D, scope: ForwardScope, t: number): tf.Tensor3D {
    const { d } = this.options;
    const y = tf.expandDims(input, 1) as tf.Tensor3D;
    const kv = tf.concat([memory, y], 1);
    let next = tf.add(memory, this.#attn.apply(memory, kv, kv, undefined, scope, `.t${t}`));
    next = tf.add(next, tf.relu(this.#mlp2.apply(tf.relu(this.#mlp1.apply(next)))));
    const gates = tf.add(this.#w.apply(y), this.#u.apply(tf.tanh(memory)));
    const [inputGate, forgetGate] = tf.split(tf.sigmoid(gates), [d, d], 2) as [tf.Tensor3D, tf.Tensor3D];
    return tf.add(tf.mul(inputGate, tf.tanh(next)), tf.mul(forgetGate, memory));
  }

  /**
   * Runs the memory over a sequence: inputs `[B, T, d]` → states `[B, T, slots·d]`, where state t
   * has consumed inputs 0 … t.
   */
  apply(inputs: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    const [b, t] = inputs.shape;
    const { slots, d } = this.options;
    let memory = this.initialState(b);
    const states: tf.Tensor2D[] = [];
    const steps = tf.unstack(inputs, 1) as tf.Tensor2D[];
    for (let i = 0; i < t; i++) {
      memory = this.step(memory, steps[i] as tf.Tensor2D, scope, i);
      states.push(tf.reshape(memory, [b, slots * d]));
    }
    return tf.stack(states, 1) as tf.Tensor3D;
  }
}
