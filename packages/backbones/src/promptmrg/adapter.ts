import * as tf from '@tensorflow/tfjs-core';
import { ContractError } from '@came-grad/optim-core';
import { checkImagesWithViews } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { AdapterLayout } from '../adapter-kit/adapter-base';
import { SplitAdapterBase } from '../adapter-kit/split-adapter-base';
import type {
  BackboneAdapter, Corpus, ForwardResult, GenerateOptions, GenerateResult, InferBatch, NamedParameter, ParamGroup,
  StepContext, TrainBatch, ValStats,
} from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { positiveFrequencies } from './cls-prompt-branch';
import { PROMPTMRG_DEFAULTS, resolvePromptMRGConfig, type PromptMRGConfig } from './config';
import { generateIds } from './generate';
import { promptmrgLosses } from './losses';
import { CLS_PREFIXES, FROZEN_PREFIXES, LM_PREFIXES, PromptMRGModel, VISUAL_PREFIXES } from './model';
import { ReportBank } from './report-bank';

export { PROMPTMRG_DEFAULTS, type PromptMRGConfig };

/** Registry id of {@link createPromptMRG}. */
export const PROMPTMRG_ID = 'promptmrg';

// AdamW as PromptMRG builds it: decay on matrices, none on biases, norms and other 1-D parameters.
function decayGroups(params: readonly NamedParameter[], trainable: ReadonlySet<tf.Variable>, lr: number, weightDecay: number): ParamGroup[] {
  const used = params.filter((p) => trainable.has(p.variable));
  return [
    { name: 'decay', vars: used.filter((p) => p.variable.rank >= 2).map((p) => p.variable), lr, weightDecay },
    { name: 'noDecay', vars: used.filter((p) => p.variable.rank < 2).map((p) => p.variable), lr, weightDecay: 0 },
  ];
}

function promptmrgLayout(config: PromptMRGConfig, { store }: PromptMRGModel): AdapterLayout {
  const shared = store.select(VISUAL_PREFIXES);
  const lm = store.select(LM_PREFIXES);
  const cls = store.select(CLS_PREFIXES);
  return {
    tasks: [{ name: 'lm', kind: 'generation', weight: 1 }, { name: 'cls', kind: 'classification', weight: config.clsWeight }],
    sharedParameters: shared,
    taskParameters: { lm, cls },
    frozenParameters: store.select(FROZEN_PREFIXES),
    paramGroups: decayGroups(store.entries(), new Set([...shared, ...lm, ...cls]), config.lr, config.weightDecay),
    inputSpec: inputSpecOf(config, ['labels14x4']),
  };
}

class PromptMRGAdapter extends SplitAdapterBase<PromptMRGConfig, PromptMRGModel> {
  #bank: ReportBank | undefined;

  constructor(config: PromptMRGConfig) {
    super(PROMPTMRG_ID, config, (vocabSize) => new PromptMRGModel(config, vocabSize), (model) => promptmrgLayout(config, model));
  }

  /**
   * Builds the report bank (TF-IDF → `retrievalDim`) and sets the logit-adjustment priors to the
   * training positive frequencies. Deterministic given the corpus and the seed.
   */
  prepare(corpus: Corpus): void {
    const bank = ReportBank.fromCorpus(corpus, this.config.retrievalDim, this.config.seed);
    this.#bank?.dispose();
    this.#bank = bank;
    this.model.cls.setPriors(positiveFrequencies(corpus.train, this.config.basePriorFloor));
  }

  /** Re-estimates the priors from `stats.meanPositiveProb` (14 values), as PromptMRG does after each validation. */
  onValidation(stats: ValStats): void {
    if (stats.meanPositiveProb !== undefined) this.model.cls.reestimate(stats.meanPositiveProb);
  }

  #requireBank(): ReportBank {
    if (this.#bank === undefined) throw new ContractError('prepare', 'promptmrg retrieves training reports: `prepare(corpus)` should be called before forward or generate. Found no report bank.');
    return this.#bank;
  }

  /** The shared representation: the patch tokens of the visual extractor (the only shared part). */
  encodeShared(batch: TrainBatch, ctx: StepContext): tf.Tensor {
    // PromptMRG reads one image: any further views are ignored.
    checkImagesWithViews(batch.images, this.inputSpec, 1);
    return tf.tidy(() => this.model.visualTokens(batch.images, scopeOf(ctx)));
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.selected(only);
    const bank = this.#requireBank();
    return tf.tidy(() => promptmrgLosses(this.model, bank, h as tf.Tensor3D, batch, scopeOf(ctx), wanted));
  }

  // Without a bank the pass fails before any tensor work (after the `only` check, as before).
  override forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    this.selected(only);
    this.#requireBank();
    return super.forward(batch, ctx, only);
  }

  /** Predicts the 14 states, prefixes them as prompt tokens and decodes; `clsProbs` is P(positive) `[B, 14]`. */
  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImagesWithViews(batch.images, this.inputSpec, 1);
    const bank = this.#requireBank();
    const model = this.model;
    const { memory, prompt, clsProbs } = tf.tidy(() => {
      const tokens = model.visualTokens(batch.images, INFERENCE_SCOPE);
      const logits = model.classify(tokens, bank, INFERENCE_SCOPE);
      return { memory: model.decoder.memory(tokens), prompt: model.decoder.promptIds(model.cls.predictStates(logits)), clsProbs: model.cls.positiveProbs(logits) };
    });
    return this.generated(() => generateIds(model.decoder, memory, prompt, opts, this.tokenizer.eos), [memory, prompt], clsProbs);
  }

  override dispose(): void {
    this.#bank?.dispose();
    this.#bank = undefined;
    super.dispose();
  }
}

/**
 * Creates the `promptmrg` adapter: PromptMRG's diagnosis-driven prompts (14 × 4 state classifier
 * with logit-adjusted loss, predicted states as decoder prompt tokens) and retrieval of similar
 * training reports by image features; tasks `lm` 1 and `cls` 4. Call `prepare(corpus)` before
 * training or generation. Missing options take {@link PROMPTMRG_DEFAULTS}; `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createPromptMRG(config: Partial<PromptMRGConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new PromptMRGAdapter(resolvePromptMRGConfig(config));
}
