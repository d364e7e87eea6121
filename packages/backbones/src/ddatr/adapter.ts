import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { checkImages } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { AdapterLayout } from '../adapter-kit/adapter-base';
import { SplitAdapterBase } from '../adapter-kit/split-adapter-base';
import type { BackboneAdapter, Corpus, GenerateOptions, GenerateResult, InferBatch, StepContext, TrainBatch, ValStats } from '../contract';
import { scopeOf } from '../params/forward-scope';
import { DDATR_DEFAULTS, resolveDDaTRConfig, type DDaTRConfig } from './config';
import { generatePromptedIds } from './generate';
import { POSITIVE_STATE, positiveFrequencies, reestimatedBaseProbs } from './logit-adjusted-loss';
import { ddatrLosses } from './losses';
import { DDATR_CLASSES, DDATR_PREFIXES, DDaTRModel } from './model';
import { priorInputsOf } from './prior-inputs';
import { PriorLabelBank } from './prior-labels';

export { DDATR_DEFAULTS, type DDaTRConfig };

/** Registry id of {@link createDDaTR}. */
export const DDATR_ID = 'ddatr';

function ddatrLayout(config: DDaTRConfig, { store }: DDaTRModel): AdapterLayout {
  const p = DDATR_PREFIXES;
  const frozenParameters = store.select(p.frozen);
  const lm = store.select(p.lm);
  const curHead = store.select(p.currentHead);
  const priorHead = store.select(p.priorHead);
  const owned = new Set([...frozenParameters, ...lm, ...curHead, ...priorHead]);
  const w = config.clsWeight;
  // AdamW groups of the PromptMRG/DDaTR trainer: decay on ≥ 2-D weights only.
  const decays = (v: tf.Variable): boolean => v.shape.length >= 2;
  const frozen = new Set(frozenParameters);
  const live = store.entries().map((e) => e.variable).filter((v) => !frozen.has(v));
  return {
    tasks: config.splitPriorCls
      ? [
        { name: 'lm', kind: 'generation', weight: 1 },
        { name: 'cls_cur', kind: 'classification', weight: w },
        { name: 'cls_prior', kind: 'classification', weight: w },
      ]
      : [{ name: 'lm', kind: 'generation', weight: 1 }, { name: 'cls', kind: 'classification', weight: w }],
    sharedParameters: store.entries().map((e) => e.variable).filter((v) => !owned.has(v)),
    taskParameters: config.splitPriorCls ? { lm, cls_cur: curHead, cls_prior: priorHead } : { lm, cls: [...curHead, ...priorHead] },
    frozenParameters,
    paramGroups: [
      { name: 'decay', vars: live.filter(decays), lr: config.lr, weightDecay: config.weightDecay },
      { name: 'noDecay', vars: live.filter((v) => !decays(v)), lr: config.lr, weightDecay: 0 },
    ],
    inputSpec: inputSpecOf(config, ['labels14x4', 'priorImage', 'priorReportIds', 'priorReportMask', 'hasProgress'], ['priorImage', 'priorReportIds', 'priorReportMask', 'hasProgress']),
  };
}

class DDaTRAdapter extends SplitAdapterBase<DDaTRConfig, DDaTRModel> {
  readonly #priorLabels = new PriorLabelBank(this.tokenizer, DDATR_CLASSES);

  constructor(config: DDaTRConfig) {
    super(DDATR_ID, config, (vocabSize) => new DDaTRModel(config, vocabSize), (model) => ddatrLayout(config, model));
  }

  prepare(corpus: Corpus): void {
    this.#priorLabels.build(corpus.train);
    const labelled = corpus.train.flatMap((s) => (s.labels14 === undefined ? [] : [s.labels14]));
    if (labelled.length > 0) this.#setBaseProbs(positiveFrequencies(labelled, DDATR_CLASSES, this.config.minBaseProb));
  }

  onValidation(stats: ValStats): void {
    const mean = stats.meanPositiveProb;
    if (mean === undefined) return;
    if (mean.length !== DDATR_CLASSES) throw new ShapeError('stats.meanPositiveProb', `${DDATR_CLASSES} values`, `${mean.length}`);
    const next = reestimatedBaseProbs(mean, this.config.minBaseProb, this.baseProbs);
    if (next !== undefined) this.#setBaseProbs(next);
  }

  // Logit-adjustment state (trainer-level in PromptMRG/DDaTR), changed only by prepare and onValidation.
  #setBaseProbs(values: readonly number[]): void {
    const next = tf.tensor1d(values.map((v) => Math.max(v, this.config.minBaseProb)));
    this.model.baseProbs.assign(next);
    next.dispose();
  }

  /** The current logit-adjustment base probabilities (a copy). */
  get baseProbs(): number[] {
    return Array.from(this.model.baseProbs.dataSync());
  }

  // The encoder has no dropout, so the context does not change h.
  encodeShared(batch: TrainBatch, _ctx: StepContext): tf.Tensor {
    checkImages(batch.images, this.inputSpec);
    return tf.tidy(() => {
      const prior = priorInputsOf(batch.images, batch.aux, this.config.maxSeqLength);
      const f = this.model.encode(batch.images, prior);
      return tf.concat([f.tokens, tf.expandDims(f.priorPooled, 1)], 1);
    });
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.selected(only);
    return tf.tidy(() => ddatrLosses(this.model, h as tf.Tensor3D, batch, {
      scope: scopeOf(ctx),
      wanted,
      logBase: tf.log(this.model.baseProbs as tf.Tensor1D),
      priorLabels: this.#priorLabels,
    }));
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const model = this.model;
    // Prompts come from cls_head1's argmax (no logit adjustment at inference); labels are never read.
    const { memory, states, probs } = tf.tidy(() => {
      const prior = priorInputsOf(batch.images, batch.aux, this.config.maxSeqLength);
      const f = model.encode(batch.images, prior);
      const logits = model.stateLogits(model.clsHead1, f.pooled);
      const b = logits.shape[0];
      const positive = tf.reshape(tf.slice(tf.softmax(logits), [0, 0, POSITIVE_STATE], [b, DDATR_CLASSES, 1]), [b, DDATR_CLASSES]);
      return { memory: model.decoder.memory(f.tokens), states: tf.cast(tf.argMax(logits, 2), 'int32') as tf.Tensor2D, probs: positive as tf.Tensor2D };
    });
    return this.generated(() => generatePromptedIds(model.decoder, memory, states, opts, this.tokenizer.eos), [memory, states], probs);
  }
}

/**
 * Creates the `ddatr` adapter: DDaTR's longitudinal two-stream encoder (PWAM from a frozen
 * prior-report encoder, difference-aware fusion, gates × `has_progress`), two logit-adjusted
 * 14 × 4 heads summed into one task, and a prompt-driven decoder. Tasks `lm` 1 and `cls`
 * `clsWeight` (4), or `lm`, `cls_cur`, `cls_prior` with `splitPriorCls`. Missing options take
 * {@link DDATR_DEFAULTS}; `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createDDaTR(config: Partial<DDaTRConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new DDaTRAdapter(resolveDDaTRConfig(config));
}
