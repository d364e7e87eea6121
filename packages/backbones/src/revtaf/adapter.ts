import * as tf from '@tensorflow/tfjs-core';
import { ContractError } from '@came-grad/optim-core';
import { checkImagesWithViews } from '../adapter-kit/check-images';
import { inputSpecOf } from '../adapter-kit/input-spec';
import type { AdapterLayout } from '../adapter-kit/adapter-base';
import { SplitAdapterBase } from '../adapter-kit/split-adapter-base';
import type { PlainAuxInputs } from '../batch/plain-batch';
import type {
  BackboneAdapter, Corpus, CorpusStudy, ForwardResult, GenerateOptions, GenerateResult, InferBatch, StepContext, TrainBatch, ValStats,
} from '../contract';
import { INFERENCE_SCOPE, scopeOf } from '../params/forward-scope';
import { positiveFrequencies } from '../promptmrg/cls-prompt-branch';
import { ReportBank } from '../promptmrg/report-bank';
import { REVTAF_DEFAULTS, resolveRevtafConfig, type RevtafConfig } from './config';
import { generateReports } from './generate';
import { revtafLosses } from './losses';
import { OBSERVATION_PHRASES, REVTAF_PREFIXES, RevtafModel } from './model';
import { LabelNeighbours, sentenceEmbeddings } from './sentence-memory';

export { REVTAF_DEFAULTS, type RevtafConfig };

/** Registry id of {@link createRevtaf}. */
export const REVTAF_ID = 'revtaf';

interface Prepared {
  readonly bank: ReportBank;
  readonly regionEntities: tf.Tensor2D;
  readonly neighbours: LabelNeighbours;
}

function revtafLayout(config: RevtafConfig, { store }: RevtafModel): AdapterLayout {
  const p = REVTAF_PREFIXES;
  const frozenParameters = store.select(p.frozen);
  const frozen = new Set(frozenParameters);
  const live = store.entries().map((e) => e.variable).filter((v) => !frozen.has(v));
  return {
    tasks: [
      { name: 'lm', kind: 'generation', weight: 1 },
      { name: 'cls', kind: 'classification', weight: config.clsWeight },
      { name: 'align', kind: 'alignment', weight: config.alignWeight },
      { name: 'rank', kind: 'retrieval', weight: config.rankWeight },
    ],
    sharedParameters: store.select(p.shared),
    taskParameters: { lm: store.select(p.lm), cls: store.select(p.cls), rank: store.select(p.rank) },
    frozenParameters,
    // AdamW as PromptMRG builds it: decay on matrices only.
    paramGroups: [
      { name: 'decay', vars: live.filter((v) => v.rank >= 2), lr: config.lr, weightDecay: config.weightDecay },
      { name: 'noDecay', vars: live.filter((v) => v.rank < 2), lr: config.lr, weightDecay: 0 },
    ],
    inputSpec: inputSpecOf(config, ['labels14x4', 'retrievedMemory']),
  };
}

class RevtafAdapter extends SplitAdapterBase<RevtafConfig, RevtafModel> {
  #prepared: Prepared | undefined;

  constructor(config: RevtafConfig) {
    super(REVTAF_ID, config, (vocabSize) => new RevtafModel(config, vocabSize), (model) => revtafLayout(config, model));
  }

  /**
   * Builds the report bank (PromptMRG's memory and the sentence embeddings), the region entity
   * embeddings, the training label neighbours, and the logit-adjustment priors. Deterministic
   * given the corpus and the seed.
   */
  prepare(corpus: Corpus): void {
    const bank = ReportBank.fromCorpus(corpus, this.config.retrievalDim, this.config.seed);
    const rows = OBSERVATION_PHRASES.map((phrase) => bank.embed(phrase));
    const flat = new Float32Array(rows.length * bank.dim);
    rows.forEach((r, i) => flat.set(r, i * bank.dim));
    this.#release();
    this.#prepared = {
      bank,
      regionEntities: tf.tensor2d(flat, [rows.length, bank.dim]),
      neighbours: new LabelNeighbours(corpus.train, bank, this.config.maxSentences),
    };
    this.model.cls.setPriors(positiveFrequencies(corpus.train, this.config.basePriorFloor));
  }

  /** The nearest-label training study's sentence embeddings, per training study (`aux.retrievedMemory`). */
  hostAux(studies: readonly CorpusStudy[]): PlainAuxInputs {
    const { neighbours } = this.#require();
    const c = this.config;
    return { retrievedMemory: { data: neighbours.retrieve(studies), shape: [studies.length, c.maxSentences, c.retrievalDim] } };
  }

  onValidation(stats: ValStats): void {
    if (stats.meanPositiveProb !== undefined) this.model.cls.reestimate(stats.meanPositiveProb);
  }

  #require(): Prepared {
    if (this.#prepared === undefined) throw new ContractError('prepare', 'revtaf retrieves training reports: `prepare(corpus)` should be called before forward, hostAux or generate. Found no report bank.');
    return this.#prepared;
  }

  encodeShared(batch: TrainBatch, ctx: StepContext): tf.Tensor {
    checkImagesWithViews(batch.images, this.inputSpec, 1);
    return tf.tidy(() => this.model.visualTokens(batch.images, scopeOf(ctx)));
  }

  lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar> {
    const wanted = this.selected(only);
    const { bank, regionEntities } = this.#require();
    return tf.tidy(() => revtafLosses(this.model, h as tf.Tensor3D, batch, { scope: scopeOf(ctx), wanted, bank, regionEntities }));
  }

  // Without a bank the pass fails before any tensor work (after the `only` check, as before).
  override forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    this.selected(only);
    this.#require();
    return super.forward(batch, ctx, only);
  }

  /** Queues the batch's retrieval embeddings with its own reports' sentences, once per optimizer step. */
  commitState(batch: TrainBatch, ctx: StepContext): void {
    if (!ctx.commitState) return;
    const { bank } = this.#require();
    const model = this.model;
    const b = batch.images.shape[0];
    const keys = tf.tidy(() => model.hnn.apply(model.regionSummary(model.visualTokens(batch.images, INFERENCE_SCOPE))));
    const z = keys.dataSync() as Float32Array;
    keys.dispose();
    const t = batch.reportIds.shape[1];
    const ids = batch.reportIds.dataSync() as Int32Array;
    const per = this.config.maxSentences * bank.dim;
    const values = new Float32Array(b * per);
    for (let i = 0; i < b; i++) {
      const text = this.tokenizer.decode(Array.from(ids.subarray(i * t + 1, (i + 1) * t)));
      values.set(sentenceEmbeddings(bank, text, this.config.maxSentences), i * per);
    }
    model.queue.push(z, values, b);
  }

  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult {
    checkImagesWithViews(batch.images, this.inputSpec, 1);
    const { bank, regionEntities } = this.#require();
    const { ids, clsProbs } = generateReports(this.model, bank, regionEntities, batch.images, opts, this.tokenizer.eos);
    return { texts: this.decode(ids), clsProbs };
  }

  #release(): void {
    this.#prepared?.bank.dispose();
    this.#prepared?.regionEntities.dispose();
    this.#prepared = undefined;
  }

  override dispose(): void {
    this.#release();
    super.dispose();
  }
}

/**
 * Creates the `revtaf` adapter: PromptMRG (diagnosis prompts, logit-adjusted cls, report
 * retrieval) with REVTAF's learnable retrieval in hyperbolic space (Poincaré ball, rank loss) and
 * optimal-transport cross-attention fusion of image tokens with region entities and retrieved
 * report sentences (alignment loss). Tasks lm 1, cls 4, align 0.5, rank 2. Call `prepare(corpus)`
 * first. Missing options take {@link REVTAF_DEFAULTS}; `vocab` is required.
 *
 * @throws InvalidOptionError naming the first bad option
 */
export function createRevtaf(config: Partial<RevtafConfig> & { readonly vocab: readonly string[] }): BackboneAdapter {
  return new RevtafAdapter(resolveRevtafConfig(config));
}
