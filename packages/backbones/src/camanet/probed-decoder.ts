import * as tf from '@tensorflow/tfjs-core';
import { ConditionalLayerNorm } from '../blocks/conditional-layer-norm';
import { FeedForward } from '../blocks/feed-forward';
import { LayerNorm } from '../blocks/layer-norm';
import { Linear } from '../blocks/linear';
import { joinHeads, MultiHeadAttention, splitHeads } from '../blocks/multi-head-attention';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';

/** Sizes of a {@link ProbedDecoder}. */
export interface ProbedDecoderOptions {
  readonly layers: number;
  readonly d: number;
  readonly heads: number;
  readonly dFF: number;
  readonly dropout: number;
  /** Width of the relational-memory state that conditions every sublayer norm (MCLN). */
  readonly conditionDim: number;
  /** Layer whose cross-attention probabilities are returned. */
  readonly probeLayer: number;
}

/** Output of {@link ProbedDecoder.apply}. */
export interface ProbedDecoderOutput {
  /** Decoder output after the final norm, `[B, T, d]`; undefined when the pass stopped at the probe. */
  readonly out: tf.Tensor3D | undefined;
  /** Cross-attention probabilities of the probed layer before dropout, `[B, h, T, N]`. */
  readonly probs: tf.Tensor4D;
}

interface ProbedLayer {
  readonly prefix: string;
  readonly selfAttn: MultiHeadAttention;
  readonly src: { readonly q: Linear; readonly k: Linear; readonly v: Linear; readonly out: Linear };
  readonly ff: FeedForward;
  readonly norms: readonly [ConditionalLayerNorm, ConditionalLayerNorm, ConditionalLayerNorm];
}

/**
 * The R2Gen decoder (pre-LN, MCLN in every sublayer, final plain LayerNorm) with the
 * cross-attention probabilities of one layer exposed, which CAMANet's attention-consistency loss
 * compares with the class activation map. The shared `TransformerDecoder` block keeps its
 * attention private, so this local variant re-implements the cross-attention (same parameter names
 * and maths as `MultiHeadAttention`).
 */
export class ProbedDecoder {
  readonly #layers: ProbedLayer[] = [];
  readonly #final: LayerNorm;

  /** Creates `<prefix>.layers.<i>.*` and `<prefix>.norm`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: ProbedDecoderOptions) {
    const { d, heads, dFF, conditionDim } = options;
    for (let i = 0; i < options.layers; i++) {
      const p = `${prefix}.layers.${i}`;
      this.#layers.push({
        prefix: p,
        selfAttn: new MultiHeadAttention(store, `${p}.selfAttn`, d, heads, options.dropout),
        src: {
          q: new Linear(store, `${p}.srcAttn.q`, d, d),
          k: new Linear(store, `${p}.srcAttn.k`, d, d),
          v: new Linear(store, `${p}.srcAttn.v`, d, d),
          out: new Linear(store, `${p}.srcAttn.out`, d, d),
        },
        ff: new FeedForward(store, `${p}.ff`, d, dFF, options.dropout),
        norms: [0, 1, 2].map((j) => new ConditionalLayerNorm(store, `${p}.norm${j}`, d, conditionDim)) as [ConditionalLayerNorm, ConditionalLayerNorm, ConditionalLayerNorm],
      });
    }
    this.#final = new LayerNorm(store, `${prefix}.norm`, d);
  }

  /**
   * @param x embedded decoder inputs `[B, T, d]`
   * @param memory patch tokens the decoder attends to `[B, N, d]`
   * @param selfMask additive mask broadcastable to `[B, h, T, T]`
   * @param condition relational-memory states `[B, T, conditionDim]`
   * @param stopAtProbe return after the probed layer's cross-attention (the attention loss needs no more)
   */
  apply(x: tf.Tensor3D, memory: tf.Tensor3D, selfMask: tf.Tensor, condition: tf.Tensor3D, scope: ForwardScope, stopAtProbe = false): ProbedDecoderOutput {
    const { dropout: rate, heads, d, probeLayer } = this.options;
    let h = x;
    let probs: tf.Tensor4D | undefined;
    for (let i = 0; i < this.#layers.length; i++) {
      const layer = this.#layers[i] as ProbedLayer;
      const n0 = layer.norms[0].apply(h, condition);
      h = tf.add(h, dropout(layer.selfAttn.apply(n0, n0, n0, selfMask, scope), rate, `${layer.prefix}.drop0`, scope));
      const n1 = layer.norms[1].apply(h, condition);
      const q = splitHeads(layer.src.q.apply(n1), heads);
      const k = splitHeads(layer.src.k.apply(memory), heads);
      const p = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d / heads))) as tf.Tensor4D;
      if (i === probeLayer) {
        probs = p;
        if (stopAtProbe) return { out: undefined, probs };
      }
      const v = splitHeads(layer.src.v.apply(memory), heads);
      const attended = layer.src.out.apply(joinHeads(tf.matMul(dropout(p, rate, `${layer.prefix}.srcAttn.attn`, scope), v)));
      h = tf.add(h, dropout(attended, rate, `${layer.prefix}.drop1`, scope));
      const n2 = layer.norms[2].apply(h, condition);
      h = tf.add(h, dropout(layer.ff.apply(n2, scope), rate, `${layer.prefix}.drop2`, scope));
    }
    if (probs === undefined) throw new Error('came-grad internal invariant violated: the probed layer is beyond the decoder');
    return { out: this.#final.apply(h), probs };
  }
}
