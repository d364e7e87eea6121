import * as tf from '@tensorflow/tfjs-core';
import { AdapterBase, type AdapterLayout } from '../adapter-kit/adapter-base';
import { checkImages } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { PlainAuxInputs } from '../batch/plain-batch';
import type {
  BackboneAdapter, Corpus, CorpusStudy, ForwardResult, GenerateOptions, GenerateResult, InferBatch, StepContext, TrainBatch,
} from '../contract';
import { scopeOf } from '../params/forward-scope';
import { klRate, resolveTgrgConfig, TGRG_DEFAULTS, TOPICS, type TgrgConfig } from './config';
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

function tgrgLayout(config: TgrgConfig, { store }: TgrgModel): AdapterLayout {
  // The bag-of-words plan is read at position 0, which attends only to itself: a softmax over one
  // key is constant, so the decoder's self-attention queries and keys reach lm alone.
  const selfQK = store.entries().filter((e) => /^decoder\.layers\.\d+\.selfAttn\.[qk]\./.test(e.name)).map((e) => e.variable);
  const lm = [...store.select(LM_PREFIXES), ...selfQK];
  const bow = store.select(BOW_PREFIXES);
  const topic = store.select(TOPIC_PREFIXES);
  const own = new Set([...lm, ...bow, ...topic]);
  const visual = new Set(store.select(VISUAL_PREFIXES));
  return {
    tasks: [
      { name: 'lm', kind: 'generation', weight: 1 },
      { name: 'topic', kind: 'classification', weight: config.topicWeight },
      { name: 'bow', kind: 'generation', weight: config.bowWeight },
      {
        name: 'kl', kind: 'regularizer', weight: config.klWeight * config.klRateMax,
        weightAt: (step: number, epoch: number) => config.klWeight * klRate(config, step, epoch),
      },
    ],
    sharedParameters: store.entries().map((e) => e.variable).filter((v) => !own.has(v)),
    taskParameters: { lm, topic, bow },
    paramGroups: [
      { name: 'visual', vars: [...visual], lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: store.entries().map((e) => e.variable).filter((v) => !visual.has(v)), lr: config.lrRest, weightDecay: config.weightDecay },
    ],
    inputSpec: inputSpecOf(config, ['topics28']),
  };
}

class TgrgAdapter extends AdapterBase<TgrgConfig, TgrgModel> {
  // Uniform until prepare() counts the training topics.
  #logPrior: Float32Array = new Float32Array(TOPICS).fill(-Math.log(TOPICS));

  constructor(config: TgrgConfig) {
    super(TGRG_ID, config, (vocabSize) => new TgrgModel(config, vocabSize), (model) => tgrgLayout(config, model));
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

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    const wanted = this.selected(only);
    checkImages(batch.images, this.inputSpec);
    const scope = scopeOf(ctx);
    return { losses: tf.tidy(() => tgrgLosses(this.model, batch, this.#logPrior, scope, wanted)) };
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const ids = generateIds(this.model, batch.images, this.#logPrior, opts, this.tokenizer.eos);
    return { texts: this.decode(ids) };
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
