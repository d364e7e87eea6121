import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, foldViews } from '../blocks/conv2d';
import { LayerNorm } from '../blocks/layer-norm';
import type { ParameterStore } from '../params/parameter-store';
import { DifferenceFusion } from './difference-fusion';
import { PriorReportAttention } from './prior-report-attention';
import { TanhGate } from './tanh-gate';

/** Sizes of a {@link LongitudinalEncoder}. */
export interface LongitudinalEncoderOptions {
  readonly inChannels: number;
  /** Width of each stride-2 stage. */
  readonly stages: readonly number[];
  /** Width of the prior-report tokens. */
  readonly textDim: number;
  /** Initial θ of the difference convolutions. */
  readonly ldcTheta: number;
}

/** Inputs of one longitudinal encoding. */
export interface LongitudinalInputs {
  /** `[B, V, H, W, C]`. */
  readonly current: tf.Tensor5D;
  /** `[B, V, H, W, C]`, zeros without a prior. */
  readonly prior: tf.Tensor5D;
  /** Frozen prior-report tokens `[B, T, textDim]`. */
  readonly priorText: tf.Tensor3D;
  /** `[B, T]`. */
  readonly priorTextMask: tf.Tensor2D;
  /** `[B]` in {0, 1}. */
  readonly hasProgress: tf.Tensor1D;
}

/** Output of a {@link LongitudinalEncoder}. */
export interface LongitudinalFeatures {
  /** Current-stream tokens after the final norm, views concatenated: `[B, V·h·w, c]`. */
  readonly tokens: tf.Tensor3D;
  /** Mean of `tokens`: `[B, c]` (input of `cls_head1`). */
  readonly pooled: tf.Tensor2D;
  /** Mean of the normalised prior-stream tokens: `[B, c]` (input of `cls_head2`). */
  readonly priorPooled: tf.Tensor2D;
}

interface StreamStage {
  readonly down: Conv2d;
  readonly a: Conv2d;
  readonly b: Conv2d;
}

interface CrossStage {
  readonly pwam: PriorReportAttention;
  readonly pwamGate: TanhGate;
  readonly fusion: DifferenceFusion;
  readonly fusionGate: TanhGate;
}

function streamStage(s: StreamStage, x: tf.Tensor4D, downFirst: Conv2d): tf.Tensor4D {
  const down = tf.relu(downFirst.apply(x));
  return tf.relu(tf.add(down, s.b.apply(tf.relu(s.a.apply(down))))) as tf.Tensor4D;
}

/**
 * DDaTR's longitudinal visual encoder at test scale: two CNN streams (current and prior; the prior
 * stream is a deep copy of the current one at initialisation, and stage 0's stride-2 convolution is
 * shared, as Swin's patch embedding is) with, after every stage, (1) PWAM from the prior report into
 * the prior stream and (2) the difference-aware fusion from both streams into the current stream,
 * each through a `tanh`-gate × `has_progress`. Final LayerNorm and average pooling per stream.
 */
export class LongitudinalEncoder {
  readonly #current: StreamStage[] = [];
  readonly #prior: StreamStage[] = [];
  readonly #cross: CrossStage[] = [];
  readonly #curNorm: LayerNorm;
  readonly #priorNorm: LayerNorm;
  readonly outDim: number;

  /**
   * Creates `<prefix>.current.*`, `<prefix>.prior.*` (initial values copied from the current
   * stream), `<prefix>.cross.<i>.*`, `<prefix>.curNorm` and `<prefix>.priorNorm`.
   */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: LongitudinalEncoderOptions) {
    let inC = options.inChannels;
    options.stages.forEach((c, i) => {
      const make = (stream: string): StreamStage => ({
        down: new Conv2d(store, `${prefix}.${stream}.stages.${i}.down`, inC, c, 3, 2),
        a: new Conv2d(store, `${prefix}.${stream}.stages.${i}.a`, c, c, 3, 1),
        b: new Conv2d(store, `${prefix}.${stream}.stages.${i}.b`, c, c, 3, 1),
      });
      // Stage 0's `down` of the prior stream is never used: both streams go through the
      // current stream's (the shared patch embedding), so it is not created.
      const cur = make('current');
      this.#current.push(cur);
      const prior: StreamStage = i === 0
        ? { down: cur.down, a: new Conv2d(store, `${prefix}.prior.stages.0.a`, c, c, 3, 1), b: new Conv2d(store, `${prefix}.prior.stages.0.b`, c, c, 3, 1) }
        : make('prior');
      this.#prior.push(prior);
      this.#cross.push({
        pwam: new PriorReportAttention(store, `${prefix}.cross.${i}.pwam`, c, options.textDim),
        pwamGate: new TanhGate(store, `${prefix}.cross.${i}.pwamGate`, c),
        fusion: new DifferenceFusion(store, `${prefix}.cross.${i}.fusion`, c, options.ldcTheta),
        fusionGate: new TanhGate(store, `${prefix}.cross.${i}.fusionGate`, c),
      });
      inC = c;
    });
    // DDaTR deep-copies the current stream into the prior one before training.
    this.#current.forEach((cur, i) => {
      const prior = this.#prior[i] as StreamStage;
      for (const k of ['down', 'a', 'b'] as const) {
        if (prior[k] === cur[k]) continue;
        prior[k].filter.assign(cur[k].filter);
        prior[k].bias.assign(cur[k].bias);
      }
    });
    this.outDim = inC;
    this.#curNorm = new LayerNorm(store, `${prefix}.curNorm`, inC);
    this.#priorNorm = new LayerNorm(store, `${prefix}.priorNorm`, inC);
  }

  /** Runs both streams with the per-stage cross-stream modules. */
  apply(inputs: LongitudinalInputs): LongitudinalFeatures {
    const [b, v] = inputs.current.shape;
    // Every view of a study gets the study's report and flag.
    const perView = tf.tensor1d(Int32Array.from({ length: b * v }, (_, i) => Math.floor(i / v)), 'int32');
    const text = tf.gather(inputs.priorText, perView);
    const textMask = tf.gather(inputs.priorTextMask, perView);
    const on = tf.gather(inputs.hasProgress, perView);
    let cur = foldViews(inputs.current);
    let prior = foldViews(inputs.prior);
    this.#cross.forEach((cross, i) => {
      const cs = this.#current[i] as StreamStage;
      const ps = this.#prior[i] as StreamStage;
      cur = streamStage(cs, cur, cs.down);
      prior = streamStage(ps, prior, ps.down);
      prior = cross.pwamGate.apply(prior, cross.pwam.apply(prior, text, textMask), on);
      cur = cross.fusionGate.apply(cur, cross.fusion.apply(cur, prior), on);
    });
    const c = this.outDim;
    const tokens = this.#curNorm.apply(tf.reshape(cur, [b, -1, c]) as tf.Tensor3D);
    const priorTokens = this.#priorNorm.apply(tf.reshape(prior, [b, -1, c]) as tf.Tensor3D);
    return { tokens, pooled: tf.mean(tokens, 1), priorPooled: tf.mean(priorTokens, 1) };
  }
}
