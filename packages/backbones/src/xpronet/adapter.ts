import * as tf from '@tensorflow/tfjs-core';
import { inputSpecOf } from '../adapter-kit/input-spec';
import { selectTasks } from '../adapter-kit/select-tasks';
import { checkImages } from '../adapter-kit/check-images';
import type {
  BackboneAdapter, BackboneConfig, Corpus, ForwardResult, GenerateOptions, GenerateResult, InferBatch, InputSpec,
  NamedParameter, ParamGroup, StepContext, TaskSpec, TrainBatch,
} from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { WordTokenizer } from '../tokenizer/word-tokenizer';
import { XPRONET_DEFAULTS, resolveXProNetConfig, xpronetConfigToJson, type XProNetConfig } from './config';
import { generateXProNetIds } from './generate';
import { xpronetLosses } from './losses';
import { CLS_PREFIXES, LM_PREFIXES, SHARED_PREFIXES, VISUAL_PREFIXES, XProNetModel } from './model';
import { prototypeTextHalves } from './prototype-init';

export { XPRONET_DEFAULTS, type XProNetConfig };

/** Registry id of {@link createXProNet}. */
export const XPRONET_ID = 'xpronet';

class XProNetAdapter implements BackboneAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly name = XPRONET_ID;
  readonly tasks: readonly TaskSpec[];
  readonly sharedParameters: tf.Variable[];
  readonly taskParameters: Record<string, tf.Variable[]>;
  readonly frozenParameters: tf.Variable[] = [];
  readonly paramGroups: ParamGroup[];
  readonly parameters: readonly NamedParameter[];
  readonly inputSpec: InputSpec;
  readonly tokenizer: WordTokenizer;
  readonly #model: XProNetModel;
  readonly #config: XProNetConfig;

  constructor(config: XProNetConfig) {
    this.#config = config;
    this.tokenizer = new WordTokenizer(config.vocab);
    this.#model = new XProNetModel(config, this.tokenizer.vocabSize);
    const store = this.#model.store;
    this.tasks = [
      { name: 'lm', kind: 'generation', weight: 1 },
      { name: 'proto_img', kind: 'alignment', weight: config.protoImgWeight },
      { name: 'proto_txt', kind: 'alignment', weight: config.protoTxtWeight },
      { name: 'cls', kind: 'classification', weight: config.clsWeight },
    ];
    const visual = store.select(VISUAL_PREFIXES);
    const cls = store.select(CLS_PREFIXES);
    // A detached classifier reaches only its head; otherwise it joins the visual extractor's users.
    this.sharedParameters = [...visual, ...store.select(SHARED_PREFIXES)];
    this.taskParameters = { lm: store.select(LM_PREFIXES), proto_img: [], proto_txt: [], cls };
    this.paramGroups = [
      { name: 'visual', vars: visual, lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: store.select([...SHARED_PREFIXES, ...LM_PREFIXES, ...CLS_PREFIXES]), lr: config.lrRest, weightDecay: config.weightDecay },
    ];
    this.parameters = store.entries();
    this.inputSpec = inputSpecOf(config, ['labels14']);
  }


  #selected(only: readonly string[] | undefined): Set<string> {
    return selectTasks(this.name, this.tasks, only);
  }

  /** Writes the prototypes' text halves from the training reports of each class (see {@link prototypeTextHalves}). */
  prepare(corpus: Corpus): void {
    const c = this.#config;
    const { values, initialised } = prototypeTextHalves(corpus, {
      numClasses: c.numClasses, prototypesPerClass: c.prototypesPerClass, textDim: c.prototypeTextDim, seed: c.seed,
    });
    const protos = this.#model.prototypes;
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
    return tf.tidy(() => this.#model.visual.apply(batch.images, scopeOf(ctx)).tokens);
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.#selected(only);
    const scope = scopeOf(ctx);
    return tf.tidy(() => {
      const tokens = h as tf.Tensor3D;
      return xpronetLosses(this.#model, tokens, tf.mean(tokens, 1) as tf.Tensor2D, batch, scope, wanted);
    });
  }

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    this.#selected(only);
    return { losses: tf.tidy(() => this.lossesFromShared(this.encodeShared(batch, ctx), batch, ctx, only)) };
  }

  /**
   * Generates from the images alone: the classifier's probabilities (≥ `labelThreshold`) select
   * each study's prototypes, where the original reads the test report's reference labels.
   */
  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const { memory, mask, probs } = tf.tidy(() => {
      const { tokens } = this.#model.visual.apply(batch.images, INFERENCE_SCOPE);
      const p = tf.sigmoid(this.#model.classify(tf.mean(tokens, 1) as tf.Tensor2D));
      const m = this.#model.prototypeMask(tf.cast(tf.greaterEqual(p, this.#config.labelThreshold), 'float32') as tf.Tensor2D);
      const image = this.#model.imageSide(tokens, m, INFERENCE_SCOPE);
      return { memory: this.#model.encode(image.fused, INFERENCE_SCOPE), mask: m, probs: p };
    });
    try {
      const ids = generateXProNetIds(this.#model, memory, mask, opts, this.tokenizer.eos);
      return { texts: ids.map((seq) => this.tokenizer.decode(seq)), clsProbs: probs };
    } catch (error) {
      probs.dispose();
      throw error;
    } finally {
      tf.dispose([memory, mask]);
    }
  }

  getConfig(): BackboneConfig {
    return xpronetConfigToJson(this.#config);
  }

  dispose(): void {
    this.#model.store.dispose();
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
