import * as tf from '@tensorflow/tfjs-core';
import { inputSpecOf } from '../adapter-kit/input-spec';
import { selectTasks } from '../adapter-kit/select-tasks';
import { checkImages } from '../adapter-kit/check-images';
import type {
  BackboneAdapter, BackboneConfig, ForwardResult, GenerateOptions, GenerateResult, InferBatch, InputSpec,
  NamedParameter, ParamGroup, StepContext, TaskSpec, TrainBatch,
} from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { WordTokenizer } from '../tokenizer/word-tokenizer';
import { CAMANET_DEFAULTS, camanetConfigToJson, resolveCamanetConfig, type CamanetConfig } from './config';
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

class CamanetAdapter implements BackboneAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly name = CAMANET_ID;
  readonly tasks: readonly TaskSpec[];
  readonly sharedParameters: tf.Variable[];
  readonly taskParameters: Record<string, tf.Variable[]>;
  readonly frozenParameters: tf.Variable[] = [];
  readonly paramGroups: ParamGroup[];
  readonly parameters: readonly NamedParameter[];
  readonly inputSpec: InputSpec;
  readonly tokenizer: WordTokenizer;
  readonly #model: CamanetModel;
  readonly #config: CamanetConfig;

  constructor(config: CamanetConfig) {
    this.#config = config;
    this.tokenizer = new WordTokenizer(config.vocab);
    this.#model = new CamanetModel(config, this.tokenizer.vocabSize);
    const store = this.#model.store;
    this.tasks = [
      { name: 'lm', kind: 'generation', weight: 1 },
      { name: 'bce', kind: 'classification', weight: config.bceWeight },
      { name: 'attn_mse', kind: 'alignment', weight: config.mseWeight },
    ];
    const entries = store.entries();
    const lmOnly = lmOnlyNames(entries.map((e) => e.name), this.#model.probeLayer);
    const head = new Set(store.select(HEAD_PREFIXES));
    this.taskParameters = {
      lm: entries.filter((e) => lmOnly.has(e.name)).map((e) => e.variable),
      bce: [...head],
    };
    // The DenseNet feeds all three tasks; the foreground norm, encoder, embeddings, memory and the
    // decoder up to the probed attention feed lm and attn_mse.
    this.sharedParameters = entries.filter((e) => !lmOnly.has(e.name) && !head.has(e.variable)).map((e) => e.variable);
    const visual = new Set(store.select(VISUAL_PREFIXES));
    this.paramGroups = [
      { name: 'visual', vars: [...visual], lr: config.lrVisual, weightDecay: config.weightDecay },
      { name: 'encoderDecoder', vars: entries.map((e) => e.variable).filter((v) => !visual.has(v)), lr: config.lrRest, weightDecay: config.weightDecay },
    ];
    this.parameters = entries;
    this.inputSpec = inputSpecOf(config, ['labels14']);
  }


  #selected(only: readonly string[] | undefined): Set<string> {
    return selectTasks(this.name, this.tasks, only);
  }

  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    const wanted = this.#selected(only);
    checkImages(batch.images, this.inputSpec);
    const scope = scopeOf(ctx);
    return { losses: tf.tidy(() => camanetLosses(this.#model, this.#model.features(batch.images, scope), batch, scope, wanted)) };
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImages(batch.images, this.inputSpec);
    // Only the images: the foreground map comes from the head's own predictions.
    const { memory, probs } = tf.tidy(() => {
      const features = this.#model.features(batch.images, INFERENCE_SCOPE);
      const { encoded } = this.#model.encode(features, INFERENCE_SCOPE);
      return { memory: CamanetModel.patchMemory(encoded), probs: tf.sigmoid(this.#model.classify(features.pooled)) };
    });
    try {
      const ids = generateIds(this.#model, memory, opts, this.tokenizer.eos);
      return { texts: ids.map((seq) => this.tokenizer.decode(seq)), clsProbs: probs };
    } catch (error) {
      probs.dispose();
      throw error;
    } finally {
      memory.dispose();
    }
  }

  getConfig(): BackboneConfig {
    return camanetConfigToJson(this.#config);
  }

  dispose(): void {
    this.#model.store.dispose();
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
