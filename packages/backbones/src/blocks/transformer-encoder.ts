import * as tf from '@tensorflow/tfjs-core';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { FeedForward, type Activation } from './feed-forward';
import { LayerNorm } from './layer-norm';
import { MultiHeadAttention } from './multi-head-attention';

/** Sizes of a {@link TransformerEncoder}. */
export interface TransformerEncoderOptions {
  readonly layers: number;
  readonly d: number;
  readonly heads: number;
  readonly dFF: number;
  readonly dropout: number;
  readonly activation?: Activation;
}

/**
 * Pre-LN Transformer encoder (the Annotated Transformer, as in R2Gen): each layer is
 * `x + dropout(attn(LN(x)))` then `x + dropout(FFN(LN(x)))`, and a final LayerNorm.
 */
export class TransformerEncoder {
  readonly #layers: { attn: MultiHeadAttention; ff: FeedForward; norms: [LayerNorm, LayerNorm]; prefix: string }[] = [];
  readonly #final: LayerNorm;

  /** Creates `<prefix>.layers.<i>.*` and `<prefix>.norm`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: TransformerEncoderOptions) {
    const { d, heads, dFF } = options;
    for (let i = 0; i < options.layers; i++) {
      const p = `${prefix}.layers.${i}`;
      this.#layers.push({
        prefix: p,
        attn: new MultiHeadAttention(store, `${p}.selfAttn`, d, heads, options.dropout),
        ff: new FeedForward(store, `${p}.ff`, d, dFF, options.dropout, options.activation ?? 'relu'),
        norms: [new LayerNorm(store, `${p}.norm0`, d), new LayerNorm(store, `${p}.norm1`, d)],
      });
    }
    this.#final = new LayerNorm(store, `${prefix}.norm`, d);
  }

  /**
   * @param x `[B, N, d]`
   * @param mask additive key mask broadcastable to `[B, h, N, N]`, or undefined
   */
  apply(x: tf.Tensor3D, mask: tf.Tensor | undefined, scope: ForwardScope): tf.Tensor3D {
    let h = x;
    for (const layer of this.#layers) {
      const n0 = layer.norms[0].apply(h);
      h = tf.add(h, dropout(layer.attn.apply(n0, n0, n0, mask, scope), this.options.dropout, `${layer.prefix}.drop0`, scope));
      const n1 = layer.norms[1].apply(h);
      h = tf.add(h, dropout(layer.ff.apply(n1, scope), this.options.dropout, `${layer.prefix}.drop1`, scope));
    }
    return this.#final.apply(h);
  }
}
