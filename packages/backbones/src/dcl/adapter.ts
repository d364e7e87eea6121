import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@came-grad/optim-core';
import { AdapterBase, type AdapterLayout } from '../adapter-kit/adapter-base';
import { checkImagesWithViews } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { BackboneAdapter, ForwardResult, GenerateOptions, GenerateResult, InferBatch, StepContext, TrainBatch } from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import { DCL_DEFAULTS, resolveDclConfig, type DclConfig } from './config';
import { generateIds } from './generate';
import { dclLosses } from './losses';
import { DclModel, IMAGE_PREFIXES, ITC_PREFIXES, ITM_PREFIXES, LM_PREFIXES } from './model';
import { DclMomentum } from './momentum';

export { DCL_DEFAULTS, type DclConfig };

/** Registry id of {@link createDcl}. */
export const DCL_ID = 'dcl';

function textLayerPrefixes(layers: number, parts: readonly string[]): string[] {
  return Array.from({ length: layers }, (_, i) => parts.map((p) => `text.layers.${i}.${p}`)).flat();
}

// DCL's trained network with its momentum copy and queues; both live as long as the adapter.
interface DclNetworks {
  readonly store: ParameterStore;
  readonly online: DclModel;
  readonly momentum: DclMomentum;
}

function dclNetworks(config: DclConfig, vocabSize: number): DclNetworks {
  const store = new ParameterStore(config.seed);
  const online = new DclModel(store, config, vocabSize, '', false);
  return { store, online, momentum: new DclMomentum(config, vocabSize, store.entries()) };
}

function dclLayout(config: DclConfig, { store, momentum }: DclNetworks): AdapterLayout {
  const layers = config.decoderLayers;
  return {
    tasks: [
      { name: 'lm', kind: 'generation', weight: 1 },
      { name: 'itc', kind: 'alignment', weight: 1 },
      { name: 'itm', kind: 'alignment', weight: 1 },
    ],
    // Tied text weights: the encoder self-attention serves itc and itm; cross-attention, FFN and
    // their norms serve itm and lm; embeddings and the final norm serve all three.
    sharedParameters: store.select([
      ...IMAGE_PREFIXES, 'text.embed', 'text.norm',
      ...textLayerPrefixes(layers, ['encSelfAttn', 'encSelfNorm', 'crossAttn', 'crossNorm', 'ff', 'ffNorm']),
    ]),
    taskParameters: {
      lm: store.select([...textLayerPrefixes(layers, ['decSelfAttn', 'decSelfNorm']), ...LM_PREFIXES]),
      itc: store.select(ITC_PREFIXES),
      itm: store.select(ITM_PREFIXES),
    },
    frozenParameters: momentum.store.entries().map((p) => p.variable),
    parameters: [...store.entries(), ...momentum.store.entries()],
    paramGroups: [{ name: 'all', vars: store.entries().map((p) => p.variable), lr: config.lr, weightDecay: config.weightDecay }],
    inputSpec: inputSpecOf(config, []),
  };
}

class DclAdapter extends AdapterBase<DclConfig, DclNetworks> {
  constructor(config: DclConfig) {
    super(DCL_ID, config, (vocabSize) => dclNetworks(config, vocabSize), (networks) => dclLayout(config, networks));
  }

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    const wanted = this.selected(only);
    checkImagesWithViews(batch.images, this.config, this.config.views);
    if (wanted.has('itm') && batch.images.shape[0] < 2) throw new ShapeError('batch.images.shape[0]', 'at least 2 (ITM draws its negatives from the batch)', `${batch.images.shape[0]}`);
    const scope = scopeOf(ctx);
    return { losses: tf.tidy(() => dclLosses(this.model.online, this.model.momentum, batch, ctx, scope, wanted)) };
  }

  /** Enqueues the batch's momentum features and moves the momentum copy, once per optimizer step. */
  commitState(batch: TrainBatch, ctx: StepContext): void {
    if (!ctx.commitState) return;
    checkImagesWithViews(batch.images, this.config, this.config.views);
    this.model.momentum.commit(batch);
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImagesWithViews(batch.images, this.config, this.config.views);
    const { online: model, momentum } = this.model;
    const embeds = tf.tidy(() => model.fuse(model.imageTokens(batch.images, INFERENCE_SCOPE), momentum.retrieve(batch.images), INFERENCE_SCOPE));
    return this.generated(() => generateIds(model, embeds, opts, this.tokenizer.eos), embeds);
  }

  override dispose(): void {
    this.model.momentum.dispose();
    super.dispose();
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
