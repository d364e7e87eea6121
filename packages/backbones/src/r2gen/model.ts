import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import type { VisualExtractor } from '../blocks/visual-extractor';
import { INFERENCE_SCOPE, type ForwardScope } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import type { R2GenConfig } from './config';
import { decoderKeyMask, decoderSelfMask, R2GenBody } from './r2gen-body';

/** Parameter-name prefixes of the visual extractor (shared when the cls head is on). */
export const VISUAL_PREFIXES = ['visual'] as const;
/** Prefixes reached by the LM loss only. */
export const LM_PREFIXES = ['attEmbed', 'encoder', 'embed', 'rm', 'decoder', 'logit'] as const;
/** Prefixes reached by the cls loss only. */
export const CLS_PREFIXES = ['clsHead'] as const;

/**
 * R2Gen (Chen et al., EMNLP 2020) at test scale: visual extractor → `att_embed` (Linear + ReLU +
 * dropout) → pre-LN encoder; word embeddings drive the relational memory, whose states condition
 * every decoder LayerNorm (MCLN); `logit` maps the decoder output to V + 1 classes. With
 * `clsHead`, a Linear(C → 14) on the pooled visual feature adds the multi-label task.
 */
export class R2GenModel {
  readonly store: ParameterStore;
  readonly visual: VisualExtractor;
  readonly #body: R2GenBody;
  readonly clsHead: Linear | undefined;

  /** Creates every variable from `config.seed`. */
  constructor(readonly config: R2GenConfig, vocabSize: number) {
    const c = config;
    this.store = new ParameterStore(c.seed);
    this.#body = new R2GenBody(this.store, c, vocabSize);
    this.visual = this.#body.visual;
    this.clsHead = c.clsHead ? new Linear(this.store, 'clsHead', this.visual.outDim, c.numLabels) : undefined;
  }

  /** Encoder output `[B, N, d]` from visual tokens `[B, N, C]`. */
  encode(tokens: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    return this.#body.encode(tokens, scope);
  }

  /** Logits `[B, T, V + 1]` for decoder inputs `[B, T]` (teacher forcing). */
  decode(memory: tf.Tensor3D, inputs: tf.Tensor2D, scope: ForwardScope): tf.Tensor3D {
    const { embedded, states } = this.#body.conditionedInputs(inputs, scope);
    const out = this.#body.decoder.apply(embedded, memory, selfMask(inputs), undefined, scope, states);
    return this.#body.logit.apply(out);
  }

  /**
   * One incremental decoding step (inference): the relational memory advances by the last input
   * only, instead of re-running over the whole prefix, and the decoder runs over the prefix with the
   * stored memory states. Equal to the last position of {@link R2GenModel.decode}.
   * @param inputs `[rows, t + 1]`: BOS and the prefix
   * @param rm memory state after inputs `0 … t − 1` (`rm.initialState` when t = 0)
   * @param history the flattened states of positions `0 … t − 1`, `[rows, t, slots·d]`, or undefined when t = 0
   */
  decodeStep(memory: tf.Tensor3D, inputs: tf.Tensor2D, rm: tf.Tensor3D, history: tf.Tensor3D | undefined): { logits: tf.Tensor2D; rm: tf.Tensor3D; history: tf.Tensor3D } {
    const [rows, len] = inputs.shape;
    const embedded = this.#body.embed.apply(inputs, INFERENCE_SCOPE);
    const last = tf.reshape(tf.slice(embedded, [0, len - 1, 0], [-1, 1, -1]), [rows, this.config.dModel]) as tf.Tensor2D;
    const next = this.#body.rm.step(rm, last, INFERENCE_SCOPE, len - 1);
    const flat = tf.reshape(next, [rows, 1, -1]) as tf.Tensor3D;
    const states = history === undefined ? flat : tf.concat([history, flat], 1);
    const out = this.#body.decoder.apply(embedded, memory, selfMask(inputs), undefined, INFERENCE_SCOPE, states);
    const logits = this.#body.logit.apply(tf.reshape(tf.slice(out, [0, len - 1, 0], [-1, 1, -1]), [rows, this.config.dModel]) as tf.Tensor2D);
    return { logits, rm: next, history: states };
  }

  /** The relational memory's initial state for `rows` hypotheses. */
  initialMemoryState(rows: number): tf.Tensor3D {
    return this.#body.rm.initialState(rows);
  }

  /** Multi-label logits `[B, numLabels]` from the pooled visual feature. */
  classify(pooled: tf.Tensor2D): tf.Tensor2D {
    if (this.clsHead === undefined) throw new Error('came-grad internal invariant violated: classify without a cls head');
    return this.clsHead.apply(pooled);
  }
}

/** R2Gen's decoder self-attention mask of inputs `[B, T]`. */
function selfMask(inputs: tf.Tensor2D): tf.Tensor {
  return decoderSelfMask(decoderKeyMask(inputs));
}
