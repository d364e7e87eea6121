import * as tf from '@tensorflow/tfjs-core';
import { checkImages } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { AdapterLayout } from '../adapter-kit/adapter-base';
import { SplitAdapterBase } from '../adapter-kit/split-adapter-base';
import type { BackboneAdapter, Corpus, GenerateOptions, GenerateResult, InferBatch, StepContext, TrainBatch } from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { XPRONET_DEFAULTS, resolveXProNetConfig, type XProNetConfig } from './config';
import { generateXProNetIds } from './generate';
import { xpronetLosses } from './losses';
import { CLS_PREFIXES, LM_PREFIXES, SHARED_PREFIXES, VISUAL_PREFIXES, XProNetModel } from './model';
import { prototypeTextHalves } from './prototype-init';

export { XPRONET_DEFAULTS, type XProNetConfig };

/** Registry id of {@link createXProNet}. */
export const XPRONET_ID = 'xpronet';

function xpronetLayout(config: XProNetConfig, { store }: XProNetModel): AdapterLayout {
  const visual = store.select(VISUAL_PREFIXES);
  return {
    tasks: [
      { name: 'lm', kind: 'generation', weight: 1 },
      { name: 'proto_img', kind: 'alignment', weight: config.protoImgWeight },
      { name: 'proto_txt', kind: 'alignment', weight: config.protoTxtWeight },
      { name: 'cls', kind: 'classification', weight: config.clsWeight },
    ],
    // A detached classifier reaches only its head; otherwise it joins the visual extractor's users.
    sharedParameters: [...visual, ...store.select(SHARED_PREFIXES)],
    taskParameters: { lm: store.select(LM_PREFIXES), proto_img: [], proto_txt: [], cls: store.select(CLS_PREFIXES) },
    paramGroups: [
      { name: 'visual', vars: visual, lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: store.select([...SHARED_PREFIXES, ...LM_PREFIXES, ...CLS_PREFIXES]), lr: config.lrRest, weightDecay: config.weightDecay },
    ],
    inputSpec: inputSpecOf(config, ['labels14']),
  };
}

class XProNetAdapter extends SplitAdapterBase<XProNetConfig, XProNetModel> {
  constructor(config: XProNetConfig) {
    super(XPRONET_ID, config, (vocabSize) => new XProNetModel(config, vocabSize), (model) => xpronetLayout(config, model));
  }

  /** Writes the prototypes' text halves from the training reports of each class (see {@link prototypeTextHalves}). */
  prepare(corpus: Corpus): void {
    const c = this.config;
    const { values, initialised } = prototypeTextHalves(corpus, {
      numClasses: c.numClasses, prototypesPerClass: c.prototypesPerClass, textDim: c.prototypeTextDim, seed: c.seed,
    });
    const protos = this.model.prototypes;
    const [rows, width] = protos.shape as [number, number];
    const imageDim = width - c.prototypeTextDim;
    const current = protos.dataSync() as Float32Array;
    const next = Float32Array.from(current);
    for (let r = 0; r < rows; r++) {
      if (!initialised[Math.floor(r / c.prototypesPerClass)]) continue;
      next.set(values.subarray(r * c.prototypeTextDim, (r + 1) * c.prototypeTextDim), r * width + imageDim);
    }
    tf.tidy(() => protos.assign(tf.tensor2d(next, [rows, width])));
  }

  encodeShared(batch: TrainBatch, ctx: StepContext): tf.Tensor {
    checkImages(batch.images, this.inputSpec);
    return tf.tidy(() => this.model.visual.apply(batch.images, scopeOf(ctx)).tokens);
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.selected(only);
    const scope = scopeOf(ctx);
    return tf.tidy(() => {
      const tokens = h as tf.Tensor3D;
      return xpronetLosses(this.model, tokens, tf.mean(tokens, 1) as tf.Tensor2D, batch, scope, wanted);
    });
  }

  /**
   * Generates from the images alone: the classifier's probabilities (≥ `labelThreshold`) select
   * each study's prototypes, where the original reads the test report's reference labels.
   */
  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const model = this.model;
    const { memory, mask, probs } = tf.tidy(() => {
      const { tokens } = model.visual.apply(batch.images, INFERENCE_SCOPE);
      const p = tf.sigmoid(model.classify(tf.mean(tokens, 1) as tf.Tensor2D));
      const m = model.prototypeMask(tf.cast(tf.greaterEqual(p, this.config.labelThreshold), 'float32') as tf.Tensor2D);
      const image = model.imageSide(tokens, m, INFERENCE_SCOPE);
      return { memory: model.encode(image.fused, INFERENCE_SCOPE), mask: m, probs: p };
    });
    return this.generated(() => generateXProNetIds(model, memory, mask, opts, this.tokenizer.eos), [memory, mask], probs);
  }
}

/**
 * Creates the `xpronet` adapter: R2GenCMN with XProNet's class-wise cross-modal prototypes
 * (top-k querying by image tokens and words, concat fusion) and its image and text prototype
 * contrastive losses (tasks `lm` 1, `proto_img` 1, `proto_txt` 0.1), plus a 14-way label
 * classifier (`cls`) whose predictions select the prototypes at generation, so `generate` never
 * reads reference labels. `prepare(corpus)` initialises the prototypes' text halves per class
 * from the training reports. Missing options take {@link XPRONET_DEFAULTS}; `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createXProNet(config: Partial<XProNetConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new XProNetAdapter(resolveXProNetConfig(config));
}
