import * as tf from '@tensorflow/tfjs-core';
import { layerNormalize } from '../blocks/layer-norm';
import { Linear } from '../blocks/linear';
import type { VisualExtractor } from '../blocks/visual-extractor';
import type { ForwardScope } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import { decoderKeyMask, decoderSelfMask, R2GenBody } from '../r2gen/r2gen-body';
import type { WclConfig } from './config';

/** Prefixes of the visual extractor (its own optimizer group). */
export const VISUAL_PREFIXES = ['visual'] as const;
/** Prefixes reached by both losses: the whole R2Gen body up to the decoder's last layer. */
export const SHARED_BODY_PREFIXES = ['attEmbed', 'encoder', 'embed', 'rm', 'decoder.layers'] as const;
/** Prefixes reached by `lm` only: the decoder's final LayerNorm (the contrast reads the states before it) and `logit`. */
export const LM_PREFIXES = ['decoder.norm', 'logit'] as const;
/** Prefixes reached by `contrast` only: WCL's `Projection` module. */
export const CONTRAST_PREFIXES = ['projection'] as const;
/** Prefixes reached by the optional `cls` task only. */
export const CLS_PREFIXES = ['clsHead'] as const;

/** One teacher-forced pass up to the decoder's last layer; `lm` reads `target` through {@link WclModel.logits}. */
export interface WclPass {
  /** Encoder output `[B, N, d]` (WCL's `src_embed`). */
  readonly source: tf.Tensor3D;
  /** Decoder states before the final norm `[B, T−1, d]` (WCL's `tgt_embed`). */
  readonly target: tf.Tensor3D;
  /** 1 over the decoder input positions that are not padding `[B, T−1]`. */
  readonly targetMask: tf.Tensor2D;
}

/**
 * WCL (Yan et al., Findings of EMNLP 2021): R2Gen unchanged (visual extractor → `att_embed` →
 * encoder; relational memory + MCLN decoder; `logit`) plus the `Projection` module, two MLPs
 * (Linear d → p, ReLU, Linear p → p) for the mean-pooled encoder output and decoder states.
 */
export class WclModel {
  readonly store: ParameterStore;
  readonly visual: VisualExtractor;
  readonly #body: R2GenBody;
  readonly #finalNorm: { readonly gamma: tf.Variable; readonly beta: tf.Variable };
  readonly #src: readonly [Linear, Linear];
  readonly #tgt: readonly [Linear, Linear];
  readonly #clsHead: Linear | undefined;

  /** Creates every variable from `config.seed`. */
  constructor(readonly config: WclConfig, vocabSize: number) {
    const c = config;
    this.store = new ParameterStore(c.seed);
    this.#body = new R2GenBody(this.store, c, vocabSize);
    this.visual = this.#body.visual;
    this.#finalNorm = { gamma: this.#variable('decoder.norm.gamma'), beta: this.#variable('decoder.norm.beta') };
    const p = c.projectionDim;
    this.#src = [new Linear(this.store, 'projection.src.0', c.dModel, p), new Linear(this.store, 'projection.src.2', p, p)];
    this.#tgt = [new Linear(this.store, 'projection.tgt.0', c.dModel, p), new Linear(this.store, 'projection.tgt.2', p, p)];
    this.#clsHead = c.clsHead ? new Linear(this.store, 'clsHead', this.visual.outDim, c.numLabels) : undefined;
  }

  /** Multi-label logits `[B, numLabels]` from the pooled visual feature (only with `clsHead`). */
  classify(pooled: tf.Tensor2D): tf.Tensor2D {
    if (this.#clsHead === undefined) throw new Error('came-grad internal invariant violated: classify without a cls head');
    return this.#clsHead.apply(pooled);
  }

  /** Encoder output `[B, N, d]` from visual tokens `[B, N, C]`. */
  encode(tokens: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    return this.#body.encode(tokens, scope);
  }

  /** Decoder states before the final norm `[B, T, d]` and the key mask `[B, T]` for inputs `[B, T]`. */
  decodeHidden(memory: tf.Tensor3D, inputs: tf.Tensor2D, scope: ForwardScope): { hidden: tf.Tensor3D; keep: tf.Tensor2D } {
    const keep = decoderKeyMask(inputs);
    const { embedded, states } = this.#body.conditionedInputs(inputs, scope);
    return { hidden: this.#body.decoder.hidden(embedded, memory, decoderSelfMask(keep), undefined, scope, states), keep };
  }

  /** Output logits `[B, T, V+1]` from decoder states before the final norm. */
  logits(hidden: tf.Tensor3D): tf.Tensor3D {
    // The decoder block applies its final norm only inside `apply`; the contrast needs the states
    // before it, so the same norm is applied here from the block's own variables.
    const { gamma, beta } = this.#finalNorm;
    return this.#body.logit.apply(tf.add(tf.mul(layerNormalize(hidden), gamma), beta) as tf.Tensor3D);
  }

  #variable(name: string): tf.Variable {
    const found = this.store.entries().find((p) => p.name === name);
    if (found === undefined) throw new Error(`came-grad internal invariant violated: no variable ${name}`);
    return found.variable;
  }

  /** The teacher-forced pass over `ids[:, :-1]`. */
  pass(tokens: tf.Tensor3D, reportIds: tf.Tensor2D, scope: ForwardScope): WclPass {
    const source = this.encode(tokens, scope);
    const inputs = tf.slice(reportIds, [0, 0], [-1, reportIds.shape[1] - 1]) as tf.Tensor2D;
    const { hidden, keep } = this.decodeHidden(source, inputs, scope);
    return { source, target: hidden, targetMask: keep };
  }

  /** L2-normalised image projection `[B, p]` of the mean-pooled encoder output. */
  projectSource(source: tf.Tensor3D): tf.Tensor2D {
    return l2Normalize(this.#mlp(this.#src, tf.mean(source, 1) as tf.Tensor2D));
  }

  /** L2-normalised text projection `[B, p]` of the decoder states, mean-pooled over non-padding positions. */
  projectTarget(target: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const m = tf.expandDims(mask, 2);
    const pooled = tf.div(tf.sum(tf.mul(target, m), 1), tf.sum(m, 1)) as tf.Tensor2D;
    return l2Normalize(this.#mlp(this.#tgt, pooled));
  }

  #mlp(layers: readonly [Linear, Linear], x: tf.Tensor2D): tf.Tensor2D {
    return layers[1].apply(tf.relu(layers[0].apply(x)));
  }
}

/** `x / (‖x‖₂ + 1e-16)` per row, WCL's `_normalize` (the epsilon is the original's). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-16));
}
