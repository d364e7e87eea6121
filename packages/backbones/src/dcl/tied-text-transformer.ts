import * as tf from '@tensorflow/tfjs-core';
import { FeedForward } from '../blocks/feed-forward';
import { LayerNorm } from '../blocks/layer-norm';
import { causalMask, keyPaddingMask, MultiHeadAttention } from '../blocks/multi-head-attention';
import { WordEmbedding } from '../blocks/word-embedding';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';

/** How the tied text Transformer runs (BLIP's `mode`). */
export type TextMode =
  /** Unimodal encoder for ITC: bidirectional self-attention, no cross-attention. */
  | 'text'
  /** Image-grounded encoder for ITM: bidirectional self-attention + cross-attention to the image. */
  | 'multimodal'
  /** Image-grounded decoder for LM: causal self-attention (the decoder's own) + cross-attention. */
  | 'decode';

/** Sizes of a {@link TiedTextTransformer}. */
export interface TiedTextOptions {
  readonly vocabSize: number;
  readonly d: number;
  readonly heads: number;
  readonly dFF: number;
  readonly layers: number;
  readonly dropout: number;
  /** Build only the encoder side (momentum copies need no decoder self-attention). */
  readonly encoderOnly?: boolean;
}

interface Layer {
  readonly prefix: string;
  readonly encSelf: MultiHeadAttention;
  readonly encNorm: LayerNorm;
  readonly decSelf: MultiHeadAttention | undefined;
  readonly decNorm: LayerNorm | undefined;
  readonly cross: MultiHeadAttention;
  readonly crossNorm: LayerNorm;
  readonly ff: FeedForward;
  readonly ffNorm: LayerNorm;
}

/**
 * BLIP's text encoder and decoder with tied weights (`tie_encoder_decoder_weights(…, '/attention')`):
 * word embeddings, cross-attention, feed-forward and final norm are one set of variables; only the
 * self-attention (with its norm) exists twice, `encSelf` for the encoder modes and `decSelf` for
 * the decoder. Pre-LN layers (the project's blocks) stand in for BERT's post-LN ones.
 */
export class TiedTextTransformer {
  readonly #embed: WordEmbedding;
  readonly #layers: Layer[] = [];
  readonly #final: LayerNorm;

  /** Creates `<prefix>.{embed,layers.<i>.*,norm}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: TiedTextOptions) {
    const { d, heads, dFF } = options;
    const rate = options.dropout;
    this.#embed = new WordEmbedding(store, `${prefix}.embed`, options.vocabSize, d, rate);
    for (let i = 0; i < options.layers; i++) {
      const p = `${prefix}.layers.${i}`;
      this.#layers.push({
        prefix: p,
        encSelf: new MultiHeadAttention(store, `${p}.encSelfAttn`, d, heads, rate),
        encNorm: new LayerNorm(store, `${p}.encSelfNorm`, d),
        decSelf: options.encoderOnly === true ? undefined : new MultiHeadAttention(store, `${p}.decSelfAttn`, d, heads, rate),
        decNorm: options.encoderOnly === true ? undefined : new LayerNorm(store, `${p}.decSelfNorm`, d),
        cross: new MultiHeadAttention(store, `${p}.crossAttn`, d, heads, rate),
        crossNorm: new LayerNorm(store, `${p}.crossNorm`, d),
        ff: new FeedForward(store, `${p}.ff`, d, dFF, rate, 'gelu'),
        ffNorm: new LayerNorm(store, `${p}.ffNorm`, d),
      });
    }
    this.#final = new LayerNorm(store, `${prefix}.norm`, d);
  }

  /**
   * Hidden states `[B, T, d]`.
   * @param ids `[B, T]` int32 token ids
   * @param mask `[B, T]` 1 on real tokens (keys that are 0 are masked in the encoder modes)
   * @param image `[B, N, d]` image embeddings for the image-grounded modes
   * @param site dropout-site suffix, distinct for each call of one pass (ITM runs the encoder twice)
   */
  apply(mode: TextMode, ids: tf.Tensor2D, mask: tf.Tensor2D, image: tf.Tensor3D | undefined, scope: ForwardScope, site = ''): tf.Tensor3D {
    const rate = this.options.dropout;
    const t = ids.shape[1];
    const selfMask = mode === 'decode' ? causalMask(t) : keyPaddingMask(mask);
    let h = this.#embed.apply(ids, scope);
    for (const layer of this.#layers) {
      const self = mode === 'decode' ? layer.decSelf : layer.encSelf;
      const norm = mode === 'decode' ? layer.decNorm : layer.encNorm;
      if (self === undefined || norm === undefined) throw new Error('came-grad internal invariant violated: decode mode on an encoder-only text Transformer');
      const s = `${layer.prefix}.${mode}${site}`;
      const n0 = norm.apply(h);
      h = tf.add(h, dropout(self.apply(n0, n0, n0, selfMask, scope, `.${mode}${site}`), rate, `${s}.drop0`, scope));
      if (mode !== 'text') {
        if (image === undefined) throw new Error(`came-grad internal invariant violated: ${mode} mode without image embeddings`);
        const n1 = layer.crossNorm.apply(h);
        h = tf.add(h, dropout(layer.cross.apply(n1, image, image, undefined, scope, `.${mode}${site}`), rate, `${s}.drop1`, scope));
      }
      const n2 = layer.ffNorm.apply(h);
      h = tf.add(h, dropout(layer.ff.apply(n2, scope), rate, `${s}.drop2`, scope));
    }
    return this.#final.apply(h);
  }
}
