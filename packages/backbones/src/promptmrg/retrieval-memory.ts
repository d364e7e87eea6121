import * as tf from '@tensorflow/tfjs-core';
import { FeedForward } from '../blocks/feed-forward';
import { LayerNorm } from '../blocks/layer-norm';
import { Linear } from '../blocks/linear';
import { MultiHeadAttention } from '../blocks/multi-head-attention';
import { stopGradient } from '../blocks/stop-gradient';
import { TransformerEncoder } from '../blocks/transformer-encoder';
import { dropout, type ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';
import type { ReportBank } from './report-bank';

/** Sizes of a {@link RetrievalMemoryEncoder}. */
export interface RetrievalMemoryOptions {
  /** Width of the pooled visual feature. */
  readonly inDim: number;
  /** Width of the bank and of the memory Transformer. */
  readonly dim: number;
  /** Retrieved reports per study. */
  readonly k: number;
  readonly heads: number;
  readonly dFF: number;
  /** Layers on each side (encoder over the k reports, decoder for the single query). */
  readonly layers: number;
  readonly dropout: number;
  /** Temperature of the softmax over the k similarities. */
  readonly temperature: number;
}

/** Output of {@link RetrievalMemoryEncoder.apply}. */
export interface RetrievalMemoryOutput {
  /** The memory read-out hs, `[B, dim]`. */
  readonly hs: tf.Tensor2D;
  /** Bank rows retrieved for each study, `[B, k]` row-major, best first. */
  readonly indices: Int32Array;
}

/**
 * PromptMRG's cross-modal feature enhancement at test scale. The query `vision_proj(avg)` retrieves
 * the k most similar training reports from a {@link ReportBank} (cosine, non-differentiable top-k),
 * the retrieved embeddings are scaled by `k · softmax(cos / τ)` (so the query projection learns
 * from the task loss which reports to trust; uniform weights leave them unchanged), encoded by a
 * Transformer encoder, and read out by a one-query pre-LN decoder (DETR-style) → hs. The read-out
 * layers have no self-attention: over a single query it is a constant softmax, whose query and key
 * weights would never receive a gradient. Retrieval reads only image features, at training and at
 * inference alike.
 */
export class RetrievalMemoryEncoder {
  readonly visionProj: Linear;
  readonly #encoder: TransformerEncoder;
  readonly #readout: { prefix: string; attn: MultiHeadAttention; ff: FeedForward; norms: [LayerNorm, LayerNorm] }[] = [];
  readonly #final: LayerNorm;

  /** Creates `<prefix>.{visionProj,encoder,decoder}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: RetrievalMemoryOptions) {
    const { dim, heads, dFF, layers, dropout } = options;
    this.visionProj = new Linear(store, `${prefix}.visionProj`, options.inDim, dim);
    this.#encoder = new TransformerEncoder(store, `${prefix}.encoder`, { d: dim, heads, dFF, layers, dropout });
    for (let i = 0; i < layers; i++) {
      const p = `${prefix}.readout.layers.${i}`;
      this.#readout.push({
        prefix: p,
        attn: new MultiHeadAttention(store, `${p}.srcAttn`, dim, heads, dropout),
        ff: new FeedForward(store, `${p}.ff`, dim, dFF, dropout),
        norms: [new LayerNorm(store, `${p}.norm0`, dim), new LayerNorm(store, `${p}.norm1`, dim)],
      });
    }
    this.#final = new LayerNorm(store, `${prefix}.readout.norm`, dim);
  }

  // x + dropout(attn(LN(x), memory)), x + dropout(FFN(LN(x))) per layer, then a final LayerNorm.
  #read(query: tf.Tensor3D, memory: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    const rate = this.options.dropout;
    let h = query;
    for (const layer of this.#readout) {
      const n0 = layer.norms[0].apply(h);
      h = tf.add(h, dropout(layer.attn.apply(n0, memory, memory, undefined, scope), rate, `${layer.prefix}.drop0`, scope));
      const n1 = layer.norms[1].apply(h);
      h = tf.add(h, dropout(layer.ff.apply(n1, scope), rate, `${layer.prefix}.drop1`, scope));
    }
    return this.#final.apply(h);
  }

  /** Retrieves and encodes the memory of each study from its pooled visual feature `[B, inDim]`. */
  apply(pooled: tf.Tensor2D, bank: ReportBank, scope: ForwardScope): RetrievalMemoryOutput {
    const { k, dim, temperature } = this.options;
    const b = pooled.shape[0];
    const query = this.visionProj.apply(pooled);
    const unit = tf.div(query, tf.add(tf.norm(query, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
    const indices = bank.topK(stopGradient(unit).dataSync() as Float32Array, k);
    const rows = tf.reshape(tf.gather(bank.matrix, tf.tensor1d(indices, 'int32')), [b, k, dim]) as tf.Tensor3D;
    const similarity = tf.sum(tf.mul(tf.expandDims(unit, 1), rows), 2);
    const weights = tf.mul(tf.softmax(tf.div(similarity, temperature)), k);
    const memory = tf.mul(rows, tf.expandDims(weights, 2)) as tf.Tensor3D;
    const encoded = this.#encoder.apply(memory, undefined, scope);
    const hs = this.#read(tf.expandDims(query, 1) as tf.Tensor3D, encoded, scope);
    return { hs: tf.reshape(hs, [b, dim]) as tf.Tensor2D, indices };
  }
}
