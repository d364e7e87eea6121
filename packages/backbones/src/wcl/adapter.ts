import * as tf from '@tensorflow/tfjs-core';
import { inputSpecOf } from '../adapter-kit/input-spec';
import { ContractError } from '@came-grad/optim-core';
import { selectTasks } from '../adapter-kit/select-tasks';
import { checkImages } from '../adapter-kit/check-images';
import type { PlainAuxInputs } from '../batch/plain-batch';
import type {
  BackboneAdapter, BackboneConfig, Corpus, CorpusStudy, ForwardResult, GenerateOptions, GenerateResult, InferBatch, InputSpec,
  NamedParameter, ParamGroup, StepContext, TaskSpec, TrainBatch,
} from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { deriveSeed } from '../random/seed';
import { WordTokenizer } from '../tokenizer/word-tokenizer';
import { WCL_DEFAULTS, effectiveTemperature, resolveWclConfig, wclConfigToJson, type WclConfig } from './config';
import { generateWclIds } from './generate';
import { wclLosses } from './losses';
import { CONTRAST_PREFIXES, LM_PREFIXES, SHARED_BODY_PREFIXES, VISUAL_PREFIXES, WclModel } from './model';
import { ReportClusters } from './report-clusters';

export { WCL_DEFAULTS, type WclConfig };

/** Registry id of {@link createWcl}. */
export const WCL_ID = 'wcl';

class WclAdapter implements BackboneAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly name = WCL_ID;
  readonly tasks: readonly TaskSpec[];
  readonly sharedParameters: tf.Variable[];
  readonly taskParameters: Record<string, tf.Variable[]>;
  readonly frozenParameters: tf.Variable[] = [];
  readonly paramGroups: ParamGroup[];
  readonly parameters: readonly NamedParameter[];
  readonly inputSpec: InputSpec;
  readonly tokenizer: WordTokenizer;
  readonly #model: WclModel;
  readonly #config: WclConfig;
  #clusters: ReportClusters | undefined;

  constructor(config: WclConfig) {
    this.#config = config;
    this.tokenizer = new WordTokenizer(config.vocab);
    this.#model = new WclModel(config, this.tokenizer.vocabSize);
    const store = this.#model.store;
    const lambda = config.contraLambda;
    const gate = config.contraEpoch;
    this.tasks = [
      { name: 'lm', kind: 'generation', weight: 1 - lambda },
      // R2Gen-family trainers count epochs from 1: `epoch > contra_epoch` there is `epoch + 1 > contraEpoch` here.
      { name: 'contrast', kind: 'alignment', weight: lambda, weightAt: (_step: number, epoch: number) => (epoch + 1 > gate ? lambda : 0) },
    ];
    const visual = store.select(VISUAL_PREFIXES);
    this.sharedParameters = [...visual, ...store.select(SHARED_BODY_PREFIXES)];
    this.taskParameters = { lm: store.select(LM_PREFIXES), contrast: store.select(CONTRAST_PREFIXES) };
    this.paramGroups = [
      { name: 'visual', vars: visual, lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: store.select([...SHARED_BODY_PREFIXES, ...LM_PREFIXES, ...CONTRAST_PREFIXES]), lr: config.lrRest, weightDecay: config.weightDecay },
    ];
    this.parameters = store.entries();
    this.inputSpec = inputSpecOf(config, ['clusterId']);
  }


  #selected(only: readonly string[] | undefined): Set<string> {
    return selectTasks(this.name, this.tasks, only);
  }

  prepare(corpus: Corpus): void {
    this.#clusters = ReportClusters.fit(corpus, this.#config.clusters, deriveSeed(this.#config.seed, 'wcl.clusters'));
  }

  hostAux(studies: readonly CorpusStudy[]): PlainAuxInputs {
    const clusters = this.#clusters;
    if (clusters === undefined) throw new ContractError('hostAux', '`prepare(corpus)` should run before `hostAux` (it clusters the training reports). Found no clusters.');
    const ids = Int32Array.from(studies, (s) => clusters.clusterOf(s.id, s.report));
    return { clusterId: { data: ids, shape: [studies.length] } };
  }

  encodeShared(batch: TrainBatch, ctx: StepContext): tf.Tensor {
    checkImages(batch.images, this.inputSpec);
    return tf.tidy(() => this.#model.visual.apply(batch.images, scopeOf(ctx)).tokens);
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.#selected(only);
    const scope = scopeOf(ctx);
    const temperature = effectiveTemperature(this.#config);
    return tf.tidy(() => wclLosses(this.#model, h as tf.Tensor3D, batch, scope, wanted, { temperature }));
  }

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    this.#selected(only);
    return { losses: tf.tidy(() => this.lossesFromShared(this.encodeShared(batch, ctx), batch, ctx, only)) };
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const memory = tf.tidy(() => this.#model.encode(this.#model.visual.apply(batch.images, INFERENCE_SCOPE).tokens, INFERENCE_SCOPE));
    try {
      const ids = generateWclIds(this.#model, memory, opts, this.tokenizer.eos);
      return { texts: ids.map((seq) => this.tokenizer.decode(seq)) };
    } finally {
      memory.dispose();
    }
  }

  getConfig(): BackboneConfig {
    return wclConfigToJson(this.#config);
  }

  dispose(): void {
    this.#model.store.dispose();
  }
}

/**
 * Creates the `wcl` adapter: R2Gen plus WCL's weakly supervised contrastive image–report loss with
 * cluster-aware negatives. Tasks `lm` (1 − λ = 0.8) and `contrast` (λ = 0.2, gated by
 * `contraEpoch` through `weightAt`). `prepare(corpus)` clusters the training reports (K-means over
 * TF-IDF, seeded) and `hostAux` gives each training study its cluster id. Missing options take
 * {@link WCL_DEFAULTS}; `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createWcl(config: Partial<WclConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new WclAdapter(resolveWclConfig(config));
}
