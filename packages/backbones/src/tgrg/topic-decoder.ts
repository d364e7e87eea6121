import * as tf from '@tensorflow/tfjs-core';
import { FeedForward } from '../blocks/feed-forward';
import { LayerNorm } from '../blocks/layer-norm';
import { MultiHeadAttention } from '../blocks/multi-head-attention';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';

/** Sizes shared by {@link TopicDecoder} and {@link NodeEncoder}. */
export interface TopicBlockOptions {
  readonly layers: number;
  readonly d: number;
  readonly heads: number;
  readonly dFF: number;
  readonly dropout: number;
}

interface TopicLayer {
  readonly prefix: string;
  readonly selfAttn: MultiHeadAttention;
  readonly nodeAttn: MultiHeadAttention;
  readonly srcAttn: MultiHeadAttention;
  readonly gramAttn: MultiHeadAttention;
  readonly ff: FeedForward;
  readonly norms: readonly LayerNorm[];
}

/** Memories the decoder attends to. */
export interface TopicMemories {
  /** Encoded image patches `[B, N, d]`. */
  readonly patches: tf.Tensor3D;
  /** Encoded knowledge-graph nodes of the chosen topics `[B, k·nodeSlots, d]`. */
  readonly nodes: tf.Tensor3D;
  /** n-gram rows of the chosen topics `[B, k·gramSlots, d]`. */
  readonly grams: tf.Tensor3D;
}

/**
 * TGRG's four-attention decoder layer (`DecoderLayer` of `modules/encoder_decoder.py`), pre-LN:
 * `x += SA(x)`, `x += NodeAttn(x, nodes)`, then `x = (x + SrcAttn(x, patches)) + (x + GramAttn(x, grams))`
 * (TGRG sums both residual branches, so x enters twice), `x += FFN(x)`; a final LayerNorm.
 */
export class TopicDecoder {
  readonly #layers: TopicLayer[] = [];
  readonly #final: LayerNorm;

  /** Creates `<prefix>.layers.<i>.{selfAttn,nodeAttn,srcAttn,gramAttn,ff,norm0…norm4}` and `<prefix>.norm`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: TopicBlockOptions) {
    const { d, heads, dFF } = options;
    for (let i = 0; i < options.layers; i++) {
      const p = `${prefix}.layers.${i}`;
      const mha = (name: string): MultiHeadAttention => new MultiHeadAttention(store, `${p}.${name}`, d, heads, options.dropout);
      this.#layers.push({
        prefix: p,
        selfAttn: mha('selfAttn'),
        nodeAttn: mha('nodeAttn'),
        srcAttn: mha('srcAttn'),
        gramAttn: mha('gramAttn'),
        ff: new FeedForward(store, `${p}.ff`, d, dFF, options.dropout),
        norms: [0, 1, 2, 3, 4].map((j) => new LayerNorm(store, `${p}.norm${j}`, d)),
      });
    }
    this.#final = new LayerNorm(store, `${prefix}.norm`, d);
  }

  /** @param selfMask additive mask broadcastable to `[B, h, T, T]` */
  apply(x: tf.Tensor3D, memories: TopicMemories, selfMask: tf.Tensor, scope: ForwardScope): tf.Tensor3D {
    const rate = this.options.dropout;
    let h = x;
    for (const l of this.#layers) {
      const [n0, n1, n2, n3, n4] = l.norms as [LayerNorm, LayerNorm, LayerNorm, LayerNorm, LayerNorm];
      const sub = (y: tf.Tensor3D, site: string): tf.Tensor3D => dropout(y, rate, `${l.prefix}.${site}`, scope);
      let a = n0.apply(h);
      h = tf.add(h, sub(l.selfAttn.apply(a, a, a, selfMask, scope), 'drop0'));
      a = n3.apply(h);
      h = tf.add(h, sub(l.nodeAttn.apply(a, memories.nodes, memories.nodes, undefined, scope), 'drop3'));
      const a1 = n1.apply(h);
      const a2 = n2.apply(h);
      const x1 = tf.add(h, sub(l.srcAttn.apply(a1, memories.patches, memories.patches, undefined, scope), 'drop1'));
      const x2 = tf.add(h, sub(l.gramAttn.apply(a2, memories.grams, memories.grams, undefined, scope), 'drop2'));
      h = tf.add(x1, x2);
      h = tf.add(h, sub(l.ff.apply(n4.apply(h), scope), 'drop4'));
    }
    return this.#final.apply(h);
  }
}

/**
 * TGRG's `NodeEncoder`: knowledge-graph nodes attend to the embedded image patches
 * (`x += Attn(LN x, patches)`, `x += FFN(LN x)`), then a final LayerNorm.
 */
export class NodeEncoder {
  readonly #layers: { prefix: string; attn: MultiHeadAttention; ff: FeedForward; norms: [LayerNorm, LayerNorm] }[] = [];
  readonly #final: LayerNorm;

  /** Creates `<prefix>.layers.<i>.{attn,ff,norm0,norm1}` and `<prefix>.norm`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: TopicBlockOptions) {
    const { d, heads, dFF } = options;
    for (let i = 0; i < options.layers; i++) {
      const p = `${prefix}.layers.${i}`;
      this.#layers.push({
        prefix: p,
        attn: new MultiHeadAttention(store, `${p}.attn`, d, heads, options.dropout),
        ff: new FeedForward(store, `${p}.ff`, d, dFF, options.dropout),
        norms: [new LayerNorm(store, `${p}.norm0`, d), new LayerNorm(store, `${p}.norm1`, d)],
      });
    }
    this.#final = new LayerNorm(store, `${prefix}.norm`, d);
  }

  /** Nodes `[B, M, d]` attending to patches `[B, N, d]`. */
  apply(nodes: tf.Tensor3D, patches: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    const rate = this.options.dropout;
    let h = nodes;
    for (const l of this.#layers) {
      h = tf.add(h, dropout(l.attn.apply(l.norms[0].apply(h), patches, patches, undefined, scope), rate, `${l.prefix}.drop0`, scope));
      h = tf.add(h, dropout(l.ff.apply(l.norms[1].apply(h), scope), rate, `${l.prefix}.drop1`, scope));
    }
    return this.#final.apply(h);
  }
}
