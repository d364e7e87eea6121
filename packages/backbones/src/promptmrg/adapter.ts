import * as tf from '@tensorflow/tfjs-core';
import { inputSpecOf } from '../adapter-kit/input-spec';
import { ContractError, ShapeError } from '@came-grad/optim-core';
import { selectTasks } from '../adapter-kit/select-tasks';
import type {
  BackboneAdapter, BackboneConfig, Corpus, ForwardResult, GenerateOptions, GenerateResult, InferBatch, InputSpec,
  NamedParameter, ParamGroup, StepContext, TaskSpec, TrainBatch, ValStats,
} from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { WordTokenizer } from '../tokenizer/word-tokenizer';
import { positiveFrequencies } from './cls-prompt-branch';
import { PROMPTMRG_DEFAULTS, promptmrgConfigToJson, resolvePromptMRGConfig, type PromptMRGConfig } from './config';
import { generateIds } from './generate';
import { promptmrgLosses } from './losses';
import { CLS_PREFIXES, FROZEN_PREFIXES, LM_PREFIXES, PromptMRGModel, VISUAL_PREFIXES } from './model';
import { ReportBank } from './report-bank';

export { PROMPTMRG_DEFAULTS, type PromptMRGConfig };

/** Registry id of {@link createPromptMRG}. */
export const PROMPTMRG_ID = 'promptmrg';

function checkImages(images: tf.Tensor, spec: InputSpec): void {
  const [, v, h, w, c] = images.shape;
  if (images.rank !== 5 || (v ?? 0) < 1 || h !== spec.imageSize || w !== spec.imageSize || c !== spec.channels) {
    throw new ShapeError('batch.images', `[B, V ≥ 1, ${spec.imageSize}, ${spec.imageSize}, ${spec.channels}]`, `[${images.shape.join(', ')}]`);
  }
}

// AdamW as PromptMRG builds it: decay on matrices, none on biases, norms and other 1-D parameters.
function decayGroups(params: readonly NamedParameter[], trainable: ReadonlySet<tf.Variable>, lr: number, weightDecay: number): ParamGroup[] {
  const used = params.filter((p) => trainable.has(p.variable));
  return [
    { name: 'decay', vars: used.filter((p) => p.variable.rank >= 2).map((p) => p.variable), lr, weightDecay },
    { name: 'noDecay', vars: used.filter((p) => p.variable.rank < 2).map((p) => p.variable), lr, weightDecay: 0 },
  ];
}

class PromptMRGAdapter implements BackboneAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly name = PROMPTMRG_ID;
  readonly tasks: readonly TaskSpec[];
  readonly sharedParameters: tf.Variable[];
  readonly taskParameters: Record<string, tf.Variable[]>;
  readonly frozenParameters: tf.Variable[];
  readonly paramGroups: ParamGroup[];
  readonly parameters: readonly NamedParameter[];
  readonly inputSpec: InputSpec;
  readonly tokenizer: WordTokenizer;
  readonly #model: PromptMRGModel;
  readonly #config: PromptMRGConfig;
  #bank: ReportBank | undefined;

  constructor(config: PromptMRGConfig) {
    this.#config = config;
    this.tokenizer = new WordTokenizer(config.vocab);
    this.#model = new PromptMRGModel(config, this.tokenizer.vocabSize);
    const store = this.#model.store;
    this.tasks = [{ name: 'lm', kind: 'generation', weight: 1 }, { name: 'cls', kind: 'classification', weight: config.clsWeight }];
    this.sharedParameters = store.select(VISUAL_PREFIXES);
    this.taskParameters = { lm: store.select(LM_PREFIXES), cls: store.select(CLS_PREFIXES) };
    this.frozenParameters = store.select(FROZEN_PREFIXES);
    this.parameters = store.entries();
    const trainable = new Set([...this.sharedParameters, ...this.taskParameters['lm']!, ...this.taskParameters['cls']!]);
    this.paramGroups = decayGroups(this.parameters, trainable, config.lr, config.weightDecay);
    this.inputSpec = inputSpecOf(config, ['labels14x4']);
  }

  /**
   * Builds the report bank (TF-IDF → `retrievalDim`) and sets the logit-adjustment priors to the
   * training positive frequencies. Deterministic given the corpus and the seed.
   */
  prepare(corpus: Corpus): void {
    const bank = ReportBank.fromCorpus(corpus, this.#config.retrievalDim, this.#config.seed);
    this.#bank?.dispose();
    this.#bank = bank;
    this.#model.cls.setPriors(positiveFrequencies(corpus.train, this.#config.basePriorFloor));
  }

  /** Re-estimates the priors from `stats.meanPositiveProb` (14 values), as PromptMRG does after each validation. */
  onValidation(stats: ValStats): void {
    if (stats.meanPositiveProb !== undefined) this.#model.cls.reestimate(stats.meanPositiveProb);
  }

  #requireBank(): ReportBank {
    if (this.#bank === undefined) throw new ContractError('prepare', 'promptmrg retrieves training reports: `prepare(corpus)` should be called before forward or generate. Found no report bank.');
    return this.#bank;
  }


  #selected(only: readonly string[] | undefined): Set<string> {
    return selectTasks(this.name, this.tasks, only);
  }

  /** The shared representation: the patch tokens of the visual extractor (the only shared part). */
  encodeShared(batch: TrainBatch, ctx: StepContext): tf.Tensor {
    checkImages(batch.images, this.inputSpec);
    return tf.tidy(() => this.#model.visualTokens(batch.images, scopeOf(ctx)));
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.#selected(only);
    const bank = this.#requireBank();
    return tf.tidy(() => promptmrgLosses(this.#model, bank, h as tf.Tensor3D, batch, scopeOf(ctx), wanted));
  }

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    this.#selected(only);
    this.#requireBank();
    return { losses: tf.tidy(() => this.lossesFromShared(this.encodeShared(batch, ctx), batch, ctx, only)) };
  }

  /** Predicts the 14 states, prefixes them as prompt tokens and decodes; `clsProbs` is P(positive) `[B, 14]`. */
  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const bank = this.#requireBank();
    const model = this.#model;
    const { memory, prompt, clsProbs } = tf.tidy(() => {
      const tokens = model.visualTokens(batch.images, INFERENCE_SCOPE);
      const logits = model.classify(tokens, bank, INFERENCE_SCOPE);
      return { memory: model.decoder.memory(tokens), prompt: model.decoder.promptIds(model.cls.predictStates(logits)), clsProbs: model.cls.positiveProbs(logits) };
    });
    try {
      const ids = generateIds(model.decoder, memory, prompt, opts, this.tokenizer.eos);
      return { texts: ids.map((seq) => this.tokenizer.decode(seq)), clsProbs };
    } catch (error) {
      clsProbs.dispose();
      throw error;
    } finally {
      tf.dispose([memory, prompt]);
    }
  }

  getConfig(): BackboneConfig {
    return promptmrgConfigToJson(this.#config);
  }

  dispose(): void {
    this.#bank?.dispose();
    this.#bank = undefined;
    this.#model.store.dispose();
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
