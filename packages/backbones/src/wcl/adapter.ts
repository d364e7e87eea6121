import * as tf from '@tensorflow/tfjs-core';
import { ContractError } from '@came-grad/optim-core';
import { checkImages } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { AdapterLayout } from '../adapter-kit/adapter-base';
import { SplitAdapterBase } from '../adapter-kit/split-adapter-base';
import type { PlainAuxInputs } from '../batch/plain-batch';
import type { BackboneAdapter, Corpus, CorpusStudy, GenerateOptions, GenerateResult, InferBatch, StepContext, TrainBatch } from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { deriveSeed } from '../random/seed';
import { WCL_DEFAULTS, effectiveTemperature, resolveWclConfig, type WclConfig } from './config';
import { generateWclIds } from './generate';
import { wclLosses } from './losses';
import { CLS_PREFIXES, CONTRAST_PREFIXES, LM_PREFIXES, SHARED_BODY_PREFIXES, VISUAL_PREFIXES, WclModel } from './model';
import { ReportClusters } from './report-clusters';

export { WCL_DEFAULTS, type WclConfig };

/** Registry id of {@link createWcl}. */
export const WCL_ID = 'wcl';

function wclLayout(config: WclConfig, { store }: WclModel): AdapterLayout {
  const lambda = config.contraLambda;
  const gate = config.contraEpoch;
  const visual = store.select(VISUAL_PREFIXES);
  return {
    tasks: [
      { name: 'lm', kind: 'generation', weight: 1 - lambda },
      // R2Gen-family trainers count epochs from 1: `epoch > contra_epoch` there is `epoch + 1 > contraEpoch` here.
      { name: 'contrast', kind: 'alignment', weight: lambda, weightAt: (_step: number, epoch: number) => (epoch + 1 > gate ? lambda : 0) },
      ...(config.clsHead ? [{ name: 'cls', kind: 'classification' as const, weight: config.clsWeight }] : []),
    ],
    sharedParameters: [...visual, ...store.select(SHARED_BODY_PREFIXES)],
    taskParameters: {
      lm: store.select(LM_PREFIXES),
      contrast: store.select(CONTRAST_PREFIXES),
      ...(config.clsHead ? { cls: store.select(CLS_PREFIXES) } : {}),
    },
    paramGroups: [
      { name: 'visual', vars: visual, lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: store.select([...SHARED_BODY_PREFIXES, ...LM_PREFIXES, ...CONTRAST_PREFIXES, ...CLS_PREFIXES]), lr: config.lrRest, weightDecay: config.weightDecay },
    ],
    inputSpec: inputSpecOf(config, config.clsHead ? ['clusterId', 'labels14'] : ['clusterId']),
  };
}

class WclAdapter extends SplitAdapterBase<WclConfig, WclModel> {
  #clusters: ReportClusters | undefined;

  constructor(config: WclConfig) {
    super(WCL_ID, config, (vocabSize) => new WclModel(config, vocabSize), (model) => wclLayout(config, model));
  }

  prepare(corpus: Corpus): void {
    this.#clusters = ReportClusters.fit(corpus, this.config.clusters, deriveSeed(this.config.seed, 'wcl.clusters'));
  }

  hostAux(studies: readonly CorpusStudy[]): PlainAuxInputs {
    const clusters = this.#clusters;
    if (clusters === undefined) throw new ContractError('hostAux', '`prepare(corpus)` should run before `hostAux` (it clusters the training reports). Found no clusters.');
    const ids = Int32Array.from(studies, (s) => clusters.clusterOf(s.id, s.report));
    return { clusterId: { data: ids, shape: [studies.length] } };
  }

  encodeShared(batch: TrainBatch, ctx: StepContext): tf.Tensor {
    checkImages(batch.images, this.inputSpec);
    return tf.tidy(() => this.model.visual.apply(batch.images, scopeOf(ctx)).tokens);
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.selected(only);
    const scope = scopeOf(ctx);
    const temperature = effectiveTemperature(this.config);
    return tf.tidy(() => wclLosses(this.model, h as tf.Tensor3D, batch, scope, wanted, { temperature }));
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const { memory, clsProbs } = tf.tidy(() => {
      const { tokens, pooled } = this.model.visual.apply(batch.images, INFERENCE_SCOPE);
      return { memory: this.model.encode(tokens, INFERENCE_SCOPE), clsProbs: this.config.clsHead ? tf.sigmoid(this.model.classify(pooled)) : undefined };
    });
    return this.generated(() => generateWclIds(this.model, memory, opts, this.tokenizer.eos), memory, clsProbs);
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
