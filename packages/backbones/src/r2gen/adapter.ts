import * as tf from '@tensorflow/tfjs-core';
import { checkImages } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { AdapterLayout } from '../adapter-kit/adapter-base';
import { SplitAdapterBase } from '../adapter-kit/split-adapter-base';
import type { BackboneAdapter, GenerateOptions, GenerateResult, InferBatch, StepContext, TrainBatch } from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { R2GEN_DEFAULTS, resolveR2GenConfig, type R2GenConfig } from './config';
import { generateIds } from './generate';
import { r2genLosses } from './losses';
import { CLS_PREFIXES, LM_PREFIXES, R2GenModel, VISUAL_PREFIXES } from './model';

export { R2GEN_DEFAULTS, type R2GenConfig };

/** Registry id of {@link createR2Gen}. */
export const R2GEN_ID = 'r2gen';

function r2genLayout(config: R2GenConfig, { store }: R2GenModel): AdapterLayout {
  const visual = store.select(VISUAL_PREFIXES);
  const lm = store.select(LM_PREFIXES);
  return {
    tasks: config.clsHead
      ? [{ name: 'lm', kind: 'generation', weight: 1 }, { name: 'cls', kind: 'classification', weight: config.clsWeight }]
      : [{ name: 'lm', kind: 'generation', weight: 1 }],
    // With one task nothing is reached by two, so the visual extractor belongs to lm.
    sharedParameters: config.clsHead ? visual : [],
    taskParameters: config.clsHead ? { lm, cls: store.select(CLS_PREFIXES) } : { lm: [...visual, ...lm] },
    paramGroups: [
      { name: 'visual', vars: visual, lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: store.select([...LM_PREFIXES, ...CLS_PREFIXES]), lr: config.lrRest, weightDecay: config.weightDecay },
    ],
    inputSpec: inputSpecOf(config, config.clsHead ? ['labels14'] : []),
  };
}

class R2GenAdapter extends SplitAdapterBase<R2GenConfig, R2GenModel> {
  constructor(config: R2GenConfig) {
    super(R2GEN_ID, config, (vocabSize) => new R2GenModel(config, vocabSize), (model) => r2genLayout(config, model));
  }

  encodeShared(batch: TrainBatch, ctx: StepContext): tf.Tensor {
    checkImages(batch.images, this.inputSpec);
    return tf.tidy(() => this.model.visual.apply(batch.images, scopeOf(ctx)).tokens);
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.selected(only);
    const scope = scopeOf(ctx);
    return tf.tidy(() => r2genLosses(this.model, h as tf.Tensor3D, batch, scope, wanted));
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const { tokens, pooled } = tf.tidy(() => {
      const features = this.model.visual.apply(batch.images, INFERENCE_SCOPE);
      return { tokens: features.tokens, pooled: features.pooled };
    });
    try {
      const memory = tf.tidy(() => this.model.encode(tokens, INFERENCE_SCOPE));
      const { texts } = this.generated(() => generateIds(this.model, memory, opts, this.tokenizer.eos), memory);
      if (this.model.clsHead === undefined) return { texts };
      return { texts, clsProbs: tf.tidy(() => tf.sigmoid(this.model.classify(pooled))) };
    } finally {
      tf.dispose([tokens, pooled]);
    }
  }
}

/**
 * Creates the `r2gen` adapter: R2Gen (relational memory + MCLN) with an optional 14-way
 * multi-label BCE head on the pooled visual feature (tasks `lm` 1 and `cls` `clsWeight`; K = 1
 * when `clsHead` is false). Missing options take {@link R2GEN_DEFAULTS}; `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createR2Gen(config: Partial<R2GenConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new R2GenAdapter(resolveR2GenConfig(config));
}
