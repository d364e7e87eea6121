import * as tf from '@tensorflow/tfjs-core';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import { ConditionalLayerNorm } from './conditional-layer-norm';
import { FeedForward } from './feed-forward';
import { LayerNorm } from './layer-norm';
import { MultiHeadAttention } from './multi-head-attention';

/** Sizes of a {@link TransformerDecoder}. */
export interface TransformerDecoderOptions {
  readonly layers: number;
  readonly d: number;
  readonly heads: number;
  readonly dFF: number;
  readonly dropout: number;
  /**
   * When set, the three sublayer norms of every layer are R2Gen's memory-conditioned LayerNorms
   * (MCLN) fed a `[B, T, conditionDim]` memory; the final norm stays plain (as in R2Gen).
   */
  readonly conditionDim?: number;
}

type Norm = LayerNorm | ConditionalLayerNorm;

interface DecoderLayer {
  readonly prefix: string;
  readonly selfAttn: MultiHeadAttention;
  readonly srcAttn: MultiHeadAttention;
  readonly ff: FeedForward;
  readonly norms: readonly [Norm, Norm, Norm];
}

/**
 * Pre-LN Transformer decoder (Annotated Transformer / R2Gen): self-attention, cross-attention to
 * the encoder output and FFN, each as `x + dropout(sublayer(norm(x)))`, then a final LayerNorm.
 */
export class TransformerDecoder {
  readonly #layers: DecoderLayer[] = [];
  readonly #final: LayerNorm;

  /** Creates `<prefix>.layers.<i>.*` and `<prefix>.norm`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: TransformerDecoderOptions) {
    const { d, heads, dFF, conditionDim } = options;
    const norm = (name: string): Norm =>
      conditionDim === undefined ? new LayerNorm(store, name, d) : new ConditionalLayerNorm(store, name, d, conditionDim);
    for (let i = 0; i < options.layers; i++) {
      const p = `${prefix}.layers.${i}`;
      this.#layers.push({
        prefix: p,
        selfAttn: new MultiHeadAttention(store, `${p}.selfAttn`, d, heads, options.dropout),
        srcAttn: new MultiHeadAttention(store, `${p}.srcAttn`, d, heads, options.dropout),
        ff: new FeedForward(store, `${p}.ff`, d, dFF, options.dropout),
        norms: [norm(`${p}.norm0`), norm(`${p}.norm1`), norm(`${p}.norm2`)],
      });
    }
    this.#final = new LayerNorm(store, `${prefix}.norm`, d);
  }

  /**
   * Hidden states before the final norm (WCL's `tgt_embed` projection reads these).
   * @param x embedded targets `[B, T, d]`
   * @param memory encoder output `[B, N, d]`
   * @param selfMask additive mask broadcastable to `[B, h, T, T]`
   * @param srcMask additive mask broadcastable to `[B, h, T, N]`, or undefined
   * @param condition `[B, T, conditionDim]` when the decoder is conditional
   */
  hidden(x: tf.Tensor3D, memory: tf.Tensor3D, selfMask: tf.Tensor, srcMask: tf.Tensor | undefined, scope: ForwardScope, condition?: tf.Tensor3D): tf.Tensor3D {
    const rate = this.options.dropout;
    const norm = (n: Norm, h: tf.Tensor3D): tf.Tensor3D => {
      if (n instanceof LayerNorm) return n.apply(h);
      if (condition === undefined) throw new Error('came-grad internal invariant violated: conditional decoder without a condition');
      return n.apply(h, condition);
    };
    let h = x;
    for (const layer of this.#layers) {
      const n0 = norm(layer.norms[0], h);
      h = tf.add(h, dropout(layer.selfAttn.apply(n0, n0, n0, selfMask, scope), rate, `${layer.prefix}.drop0`, scope));
      const n1 = norm(layer.norms[1], h);
      h = tf.add(h, dropout(layer.srcAttn.apply(n1, memory, memory, srcMask, scope), rate, `${layer.prefix}.drop1`, scope));
      const n2 = norm(layer.norms[2], h);
      h = tf.add(h, dropout(layer.ff.apply(n2, scope), rate, `${layer.prefix}.drop2`, scope));
    }
    return h;
  }

  /** Decoder output: {@link TransformerDecoder.hidden} followed by the final LayerNorm. */
  apply(x: tf.Tensor3D, memory: tf.Tensor3D, selfMask: tf.Tensor, srcMask: tf.Tensor | undefined, scope: ForwardScope, condition?: tf.Tensor3D): tf.Tensor3D {
    return this.#final.apply(this.hidden(x, memory, selfMask, srcMask, scope, condition));
  }
}
