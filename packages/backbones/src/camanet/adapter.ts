import * as tf from '@tensorflow/tfjs-core';
import { AdapterBase, type AdapterLayout } from '../adapter-kit/adapter-base';
import { checkImages } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { BackboneAdapter, ForwardResult, GenerateOptions, GenerateResult, InferBatch, StepContext, TrainBatch } from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { CAMANET_DEFAULTS, resolveCamanetConfig, type CamanetConfig } from './config';
import { generateIds } from './generate';
import { camanetLosses } from './losses';
import { CamanetModel, HEAD_PREFIXES, VISUAL_PREFIXES } from './model';

export { CAMANET_DEFAULTS, type CamanetConfig };

/** Registry id of {@link createCamanet}. */
export const CAMANET_ID = 'camanet';

// Names reached by lm but not by attn_mse: everything the decoder does after the probed layer's
// attention probabilities (its values, output projection, FFN and their norm, later layers, the
// final norm) and the LM head.
function lmOnlyNames(names: readonly string[], probe: number): Set<string> {
  const lm = new Set<string>();
  const after = [`srcAttn.v.`, `srcAttn.out.`, `ff.`, `norm2.`];
  for (const name of names) {
    if (name.startsWith('logit.') || name.startsWith('decoder.norm.')) lm.add(name);
    const m = /^decoder\.layers\.(\d+)\.(.*)$/.exec(name);
    if (m === null) continue;
    const layer = Number(m[1]);
    const rest = `${m[2]}.`;
    if (layer > probe || (layer === probe && after.some((a) => rest.startsWith(a)))) lm.add(name);
  }
  return lm;
}

function camanetLayout(config: CamanetConfig, model: CamanetModel): AdapterLayout {
  const store = model.store;
  const entries = store.entries();
  const lmOnly = lmOnlyNames(entries.map((e) => e.name), model.probeLayer);
  const head = new Set(store.select(HEAD_PREFIXES));
  const visual = new Set(store.select(VISUAL_PREFIXES));
  return {
    tasks: [
      { name: 'lm', kind: 'generation', weight: 1 },
      { name: 'bce', kind: 'classification', weight: config.bceWeight },
      { name: 'attn_mse', kind: 'alignment', weight: config.mseWeight },
    ],
    // The DenseNet feeds all three tasks; the foreground norm, encoder, embeddings, memory and the
    // decoder up to the probed attention feed lm and attn_mse.
    sharedParameters: entries.filter((e) => !lmOnly.has(e.name) && !head.has(e.variable)).map((e) => e.variable),
    taskParameters: {
      lm: entries.filter((e) => lmOnly.has(e.name)).map((e) => e.variable),
      bce: [...head],
    },
    paramGroups: [
      { name: 'visual', vars: [...visual], lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: entries.map((e) => e.variable).filter((v) => !visual.has(v)), lr: config.lrRest, weightDecay: config.weightDecay },
    ],
    parameters: entries,
    inputSpec: inputSpecOf(config, ['labels14']),
  };
}

class CamanetAdapter extends AdapterBase<CamanetConfig, CamanetModel> {
  constructor(config: CamanetConfig) {
    super(CAMANET_ID, config, (vocabSize) => new CamanetModel(config, vocabSize), (model) => camanetLayout(config, model));
  }

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    const wanted = this.selected(only);
    checkImages(batch.images, this.inputSpec);
    const scope = scopeOf(ctx);
    return { losses: tf.tidy(() => camanetLosses(this.model, this.model.features(batch.images, scope), batch, scope, wanted)) };
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    const model = this.model;
    // Only the images: the foreground map comes from the head's own predictions.
    const { memory, probs } = tf.tidy(() => {
      const features = model.features(batch.images, INFERENCE_SCOPE);
      const { encoded } = model.encode(features, INFERENCE_SCOPE);
      return { memory: CamanetModel.patchMemory(encoded), probs: tf.sigmoid(model.classify(features.pooled)) };
    });
    return this.generated(() => generateIds(model, memory, opts, this.tokenizer.eos), memory, probs);
  }
}

/**
 * Creates the `camanet` adapter: CAMANet's class-activation-map guided attention on the R2Gen
 * encoder–decoder, with tasks `lm` 1, `bce` `bceWeight` (1) and `attn_mse` `mseWeight` (0.15 on
 * IU X-Ray and synth-cxr; pass 0.5 for MIMIC-CXR). Missing options take {@link CAMANET_DEFAULTS};
 * `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createCamanet(config: Partial<CamanetConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new CamanetAdapter(resolveCamanetConfig(config));
}
