import * as tf from '@tensorflow/tfjs-core';
import { selectTasks } from '../adapter-kit/select-tasks';
import { checkImages } from '../adapter-kit/check-images';
import { scopeOf } from '../params/forward-scope';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { PlainAuxInputs } from '../batch/plain-batch';
import type {
  BackboneAdapter, BackboneConfig, Corpus, CorpusStudy, ForwardResult, GenerateOptions, GenerateResult, InferBatch,
  InputSpec, NamedParameter, ParamGroup, StepContext, TaskSpec, TrainBatch,
} from '../contract';
import { WordTokenizer } from '../tokenizer/word-tokenizer';
import { klRate, resolveTgrgConfig, TGRG_DEFAULTS, tgrgConfigToJson, TOPICS, type TgrgConfig } from './config';
import { generateIds } from './generate';
import { tgrgLosses } from './losses';
import { BOW_PREFIXES, LM_PREFIXES, TgrgModel, TOPIC_PREFIXES, VISUAL_PREFIXES } from './model';
import { logTopicPrior, topicTargets } from './topic-targets';

export { TGRG_DEFAULTS, type TgrgConfig };

/** Registry id of {@link createTgrg}. */
export const TGRG_ID = 'tgrg';

function studyTargets(study: CorpusStudy, i: number): Float32Array {
  return study.labels14 === undefined ? new Float32Array(TOPICS) : topicTargets(study.labels14, `studies[${i}].labels14`);
}

class TgrgAdapter implements BackboneAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly name = TGRG_ID;
  readonly tasks: readonly TaskSpec[];
  readonly sharedParameters: tf.Variable[];
  readonly taskParameters: Record<string, tf.Variable[]>;
  readonly frozenParameters: tf.Variable[] = [];
  readonly paramGroups: ParamGroup[];
  readonly parameters: readonly NamedParameter[];
  readonly inputSpec: InputSpec;
  readonly tokenizer: WordTokenizer;
  readonly #model: TgrgModel;
  readonly #config: TgrgConfig;
  // Uniform until prepare() counts the training topics.
  #logPrior: Float32Array = new Float32Array(TOPICS).fill(-Math.log(TOPICS));

  constructor(config: TgrgConfig) {
    this.#config = config;
    this.tokenizer = new WordTokenizer(config.vocab);
    this.#model = new TgrgModel(config, this.tokenizer.vocabSize);
    const store = this.#model.store;
    this.tasks = [
      { name: 'lm', kind: 'generation', weight: 1 },
      { name: 'topic', kind: 'classification', weight: config.topicWeight },
      { name: 'bow', kind: 'generation', weight: config.bowWeight },
      {
        name: 'kl', kind: 'regularizer', weight: config.klWeight * config.klRateMax,
        weightAt: (step: number, epoch: number) => config.klWeight * klRate(config, step, epoch),
      },
    ];
    // The bag-of-words plan is read at position 0, which attends only to itself: a softmax over one
    // key is constant, so the decoder's self-attention queries and keys reach lm alone.
    const selfQK = store.entries().filter((e) => /^decoder\.layers\.\d+\.selfAttn\.[qk]\./.test(e.name)).map((e) => e.variable);
    const lm = [...store.select(LM_PREFIXES), ...selfQK];
    const bow = store.select(BOW_PREFIXES);
    const topic = store.select(TOPIC_PREFIXES);
    const own = new Set([...lm, ...bow, ...topic]);
    this.taskParameters = { lm, topic, bow };
    this.sharedParameters = store.entries().map((e) => e.variable).filter((v) => !own.has(v));
    const visual = new Set(store.select(VISUAL_PREFIXES));
    this.paramGroups = [
      { name: 'visual', vars: [...visual], lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: store.entries().map((e) => e.variable).filter((v) => !visual.has(v)), lr: config.lrRest, weightDecay: config.weightDecay },
    ];
    this.parameters = store.entries();
    this.inputSpec = inputSpecOf(config, ['topics28']);
  }

  /** The topic prior π from the training split's topic targets (TGRG hard-codes MIMIC counts). */
  prepare(corpus: Corpus): void {
    this.#logPrior = logTopicPrior(corpus.train.map(studyTargets));
  }

  /** `topics28` of each training study, from its own report's labels (never called for inference). */
  hostAux(studies: readonly CorpusStudy[]): PlainAuxInputs {
    const data = new Float32Array(studies.length * TOPICS);
    studies.forEach((s, i) => data.set(studyTargets(s, i), i * TOPICS));
    return { topics28: { data, shape: [studies.length, TOPICS] } };
  }

  /** The current `log π` (uniform before {@link TgrgAdapter.prepare}). */
  get logPrior(): Float32Array {
    return Float32Array.from(this.#logPrior);
  }

  #selected(only: readonly string[] | undefined): Set<string> {
    return selectTasks(this.name, this.tasks, only);
  }

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    const wanted = this.#selected(only);
    checkImages(batch.images, this.inputSpec);
    const scope = scopeOf(ctx);
    return { losses: tf.tidy(() => tgrgLosses(this.#model, batch, this.#logPrior, scope, wanted)) };
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const ids = generateIds(this.#model, batch.images, this.#logPrior, opts, this.tokenizer.eos);
    return { texts: ids.map((seq) => this.tokenizer.decode(seq)) };
  }

  getConfig(): BackboneConfig {
    return tgrgConfigToJson(this.#config);
  }

  dispose(): void {
    this.#model.store.dispose();
  }
}

/**
 * Creates the `tgrg` adapter: Topic-Guided Radiology Report Generation with tasks `lm` 1,
 * `topic` 0.04, `bow` 0.05 and `kl` 0.002·rate(step) (annealed through `weightAt`; 0, hence
 * inactive, for the first `klAnnealEvery − 1` steps). Call `prepare(corpus)` to count the topic
 * prior, and give training batches `aux.topics28` from `hostAux`. Missing options take
 * {@link TGRG_DEFAULTS}; `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createTgrg(config: Partial<TgrgConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new TgrgAdapter(resolveTgrgConfig(config));
}
