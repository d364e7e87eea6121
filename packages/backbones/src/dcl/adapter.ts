import * as tf from '@tensorflow/tfjs-core';
import { inputSpecOf } from '../adapter-kit/input-spec';
import { ShapeError } from '@came-grad/optim-core';
import { selectTasks } from '../adapter-kit/select-tasks';
import type {
  BackboneAdapter, BackboneConfig, ForwardResult, GenerateOptions, GenerateResult, InferBatch, InputSpec,
  NamedParameter, ParamGroup, StepContext, TaskSpec, TrainBatch,
} from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import { WordTokenizer } from '../tokenizer/word-tokenizer';
import { DCL_DEFAULTS, dclConfigToJson, resolveDclConfig, type DclConfig } from './config';
import { generateIds } from './generate';
import { dclLosses } from './losses';
import { DclModel, IMAGE_PREFIXES, ITC_PREFIXES, ITM_PREFIXES, LM_PREFIXES } from './model';
import { DclMomentum } from './momentum';

export { DCL_DEFAULTS, type DclConfig };

/** Registry id of {@link createDcl}. */
export const DCL_ID = 'dcl';

function checkImages(images: tf.Tensor, config: DclConfig): void {
  const [, v, h, w, c] = images.shape;
  if (images.rank !== 5 || (v ?? 0) < config.views || h !== config.imageSize || w !== config.imageSize || c !== config.channels) {
    throw new ShapeError('batch.images', `[B, V ≥ ${config.views}, ${config.imageSize}, ${config.imageSize}, ${config.channels}]`, `[${images.shape.join(', ')}]`);
  }
}

function textLayerPrefixes(layers: number, parts: readonly string[]): string[] {
  return Array.from({ length: layers }, (_, i) => parts.map((p) => `text.layers.${i}.${p}`)).flat();
}

class DclAdapter implements BackboneAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly name = DCL_ID;
  readonly tasks: readonly TaskSpec[] = [
    { name: 'lm', kind: 'generation', weight: 1 },
    { name: 'itc', kind: 'alignment', weight: 1 },
    { name: 'itm', kind: 'alignment', weight: 1 },
  ];
  readonly sharedParameters: tf.Variable[];
  readonly taskParameters: Record<string, tf.Variable[]>;
  readonly frozenParameters: tf.Variable[];
  readonly paramGroups: ParamGroup[];
  readonly parameters: readonly NamedParameter[];
  readonly inputSpec: InputSpec;
  readonly tokenizer: WordTokenizer;
  readonly #store: ParameterStore;
  readonly #model: DclModel;
  readonly #momentum: DclMomentum;
  readonly #config: DclConfig;

  constructor(config: DclConfig) {
    this.#config = config;
    this.tokenizer = new WordTokenizer(config.vocab);
    this.#store = new ParameterStore(config.seed);
    this.#model = new DclModel(this.#store, config, this.tokenizer.vocabSize, '', false);
    this.#momentum = new DclMomentum(config, this.tokenizer.vocabSize, this.#store.entries());
    const s = this.#store;
    const layers = config.decoderLayers;
    // Tied text weights: the encoder self-attention serves itc and itm; cross-attention, FFN and
    // their norms serve itm and lm; embeddings and the final norm serve all three.
    this.sharedParameters = s.select([
      ...IMAGE_PREFIXES, 'text.embed', 'text.norm',
      ...textLayerPrefixes(layers, ['encSelfAttn', 'encSelfNorm', 'crossAttn', 'crossNorm', 'ff', 'ffNorm']),
    ]);
    this.taskParameters = {
      lm: s.select([...textLayerPrefixes(layers, ['decSelfAttn', 'decSelfNorm']), ...LM_PREFIXES]),
      itc: s.select(ITC_PREFIXES),
      itm: s.select(ITM_PREFIXES),
    };
    this.frozenParameters = this.#momentum.store.entries().map((p) => p.variable);
    this.parameters = [...s.entries(), ...this.#momentum.store.entries()];
    this.paramGroups = [{ name: 'all', vars: s.entries().map((p) => p.variable), lr: config.lr, weightDecay: config.weightDecay }];
    this.inputSpec = inputSpecOf(config, []);
  }

  #selected(only: readonly string[] | undefined): Set<string> {
    return selectTasks(this.name, this.tasks, only);
  }

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    const wanted = this.#selected(only);
    checkImages(batch.images, this.#config);
    if (wanted.has('itm') && batch.images.shape[0] < 2) throw new ShapeError('batch.images.shape[0]', 'at least 2 (ITM draws its negatives from the batch)', `${batch.images.shape[0]}`);
    const scope = scopeOf(ctx);
    return { losses: tf.tidy(() => dclLosses(this.#model, this.#momentum, batch, ctx, scope, wanted)) };
  }

  /** Enqueues the batch's momentum features and moves the momentum copy, once per optimizer step. */
  commitState(batch: TrainBatch, ctx: StepContext): void {
    if (!ctx.commitState) return;
    checkImages(batch.images, this.#config);
    this.#momentum.commit(batch);
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.#config);
    const model = this.#model;
    const embeds = tf.tidy(() => model.fuse(model.imageTokens(batch.images, INFERENCE_SCOPE), this.#momentum.retrieve(batch.images), INFERENCE_SCOPE));
    try {
      const ids = generateIds(model, embeds, opts, this.tokenizer.eos);
      return { texts: ids.map((seq) => this.tokenizer.decode(seq)) };
    } finally {
      embeds.dispose();
    }
  }

  getConfig(): BackboneConfig {
    return dclConfigToJson(this.#config);
  }

  dispose(): void {
    this.#momentum.dispose();
    this.#store.dispose();
  }
}

/**
 * Creates the `dcl` adapter: DCL's ViT, dynamic knowledge graph (learned base nodes + retrieved
 * report embeddings) fused into the image tokens, BLIP's tied text encoder/decoder, momentum
 * encoders and queues; tasks `lm` 1, `itc` 1, `itm` 1. `commitState` (once per optimizer step)
 * is the only place the momentum copy and the queues change. Missing options take
 * {@link DCL_DEFAULTS}; `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createDcl(config: Partial<DclConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new DclAdapter(resolveDclConfig(config));
}
