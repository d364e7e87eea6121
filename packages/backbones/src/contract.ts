import type * as tf from '@tensorflow/tfjs-core';
import type { PlainAuxInputs } from './batch/plain-batch';

/**
 * The adapter contract of `specs/backbones.md` §6, version `'v1'`.
 *
 * An adapter hides everything that differs between backbones (extra inputs, stateful side
 * effects, inference dependencies) behind one forward pass that returns *unweighted* per-task
 * scalar losses, so that any multi-task optimizer can train it.
 *
 * @packageDocumentation
 */

/** What a task's loss measures; used for reporting and for grouping in tables. */
export type TaskKind = 'generation' | 'classification' | 'alignment' | 'retrieval' | 'regularizer';

/** One task of a backbone. Task 0 is always `'lm'` (the report-generation loss, g_0 in CAME-Grad). */
export interface TaskSpec {
  /** Stable task name; the key of the task's loss in {@link ForwardResult.losses}. */
  readonly name: string;
  /** What the loss measures. */
  readonly kind: TaskKind;
  /** Default linear-scalarisation weight ω_i (the backbone's own loss weight). */
  readonly weight: number;
  /**
   * Optional schedule of ω_i (TGRG KL anneal, WCL `contra_epoch` gate, DCL α ramp). A task whose
   * weight at a step is 0 is inactive for that step (the optimizer drops it).
   */
  weightAt?(step: number, epoch: number): number;
}

/** Per-call context of {@link BackboneAdapter.forward}. */
export interface StepContext {
  /** Training mode: dropout and other train-time stochasticity are on. */
  readonly training: boolean;
  /** Global optimizer step (0-based). */
  readonly step: number;
  /** Epoch (0-based). */
  readonly epoch: number;
  /** Seed of every random draw of this pass (dropout masks, sampled negatives, noise). */
  readonly seed: number;
  /** Whether this pass may update non-trainable state (queues, momentum copies, statistics). */
  readonly commitState: boolean;
}

/**
 * Optional per-sample inputs that some backbones need (spec §6). All tensors have the batch as
 * their first axis. Adapters list the ones they read in {@link InputSpec.aux}.
 */
export interface AuxInputs {
  /** 14 CheXpert observations as binary targets in [0, 1], `[B, 14]` float32. */
  readonly labels14?: tf.Tensor2D;
  /** 14 observations × 4 states {blank, positive, negative, uncertain} as class ids, `[B, 14]` int32. */
  readonly labels14x4?: tf.Tensor2D;
  /** Topic targets of TGRG, `[B, 28]` float32. */
  readonly topics28?: tf.Tensor2D;
  /** Report cluster id (WCL), `[B]` int32. */
  readonly clusterId?: tf.Tensor1D;
  /** Precomputed retrieval memory (PromptMRG/REVTAF), `[B, k, d]` float32. */
  readonly retrievedMemory?: tf.Tensor3D;
  /** Prior-study images (DDaTR), `[B, V, H, W, C]` float32. */
  readonly priorImage?: tf.Tensor5D;
  /** Prior-study report ids (DDaTR), `[B, T]` int32. */
  readonly priorReportIds?: tf.Tensor2D;
  /** Mask of `priorReportIds`, `[B, T]` float32. */
  readonly priorReportMask?: tf.Tensor2D;
  /** 1 where a prior study exists, else 0 (DDaTR), `[B]` float32. */
  readonly hasProgress?: tf.Tensor1D;
  /** External region features (REVTAF), `[B, R, d]` float32. */
  readonly regionFeats?: tf.Tensor3D;
  /** Retrieved knowledge embeddings (DCL), `[B, n, d]` float32. */
  readonly knowledge?: tf.Tensor3D;
}

/** Names of the optional inputs in {@link AuxInputs}. */
export type AuxName = keyof AuxInputs;

/**
 * One training batch as tensors. `images` is `[B, V, H, W, C]` (V = 2 for IU X-Ray in the R2Gen
 * family, 1 otherwise). `reportIds` is `[B, T]` int32 in the R2Gen layout `[0, w_1 … w_n, 0, pad…]`
 * and `reportMask` `[B, T]` float32 is 1 over BOS, the words and EOS.
 */
export interface TrainBatch {
  readonly images: tf.Tensor5D;
  readonly reportIds: tf.Tensor2D;
  readonly reportMask: tf.Tensor2D;
  readonly aux?: AuxInputs;
}

/** A batch for generation: the images and whatever auxiliary inputs inference needs. */
export interface InferBatch {
  readonly images: tf.Tensor5D;
  readonly aux?: AuxInputs;
}

/** Result of {@link BackboneAdapter.forward}: one unweighted scalar loss per computed task. */
export interface ForwardResult {
  readonly losses: Record<string, tf.Scalar>;
}

/** Options of {@link BackboneAdapter.generate}. */
export interface GenerateOptions {
  /** Beam width; 1 is greedy decoding. */
  readonly beamSize: number;
  /** Maximum number of generated word tokens (EOS excluded). */
  readonly maxLen: number;
  /** Minimum number of word tokens before EOS is allowed (default 0). */
  readonly minLen?: number;
  /** Forbid repeating a trigram within one hypothesis (R2Gen's `block_trigrams`). */
  readonly blockTrigrams?: boolean;
}

/** Result of {@link BackboneAdapter.generate}. The caller owns (and disposes) `clsProbs`. */
export interface GenerateResult {
  /** One report per study, in batch order. */
  readonly texts: string[];
  /** Classifier probabilities for CE diagnostics or prompt models, `[B, C]`. */
  readonly clsProbs?: tf.Tensor2D;
}

/** Validation statistics handed to {@link BackboneAdapter.onValidation} (logit-adjustment re-estimation). */
export interface ValStats {
  /** Mean predicted positive probability per class on reference-positive samples. */
  readonly meanPositiveProb?: readonly number[];
  /** Any further named statistics. */
  readonly [key: string]: unknown;
}

/** A group of variables with its own learning rate and weight decay (lr_ve vs lr_ed, AdamW no-decay groups). */
export interface ParamGroup {
  readonly name: string;
  readonly vars: tf.Variable[];
  readonly lr: number;
  readonly weightDecay: number;
}

/** A variable with its stable, adapter-local name (checkpoint keys, digests). */
export interface NamedParameter {
  readonly name: string;
  readonly variable: tf.Variable;
}

/**
 * The tokenizer handle of an adapter. In the R2Gen family `bos = eos = pad = 0` and
 * `decode` stops at the first 0 (`specs/nlg-metrics.md` §2.1).
 */
export interface Tokenizer {
  /** Word ids of a cleaned report, without BOS/EOS; unknown words map to `<unk>`. */
  encode(report: string): number[];
  /** Text of generated ids: stops at the first EOS/PAD, joins tokens with single spaces. */
  decode(ids: readonly number[]): string;
  /** Number of output classes of the LM head (words + the shared special id). */
  readonly vocabSize: number;
  readonly bos: number;
  readonly eos: number;
  readonly pad: number;
}

/** The inputs an adapter expects, so callers (the CLI, the contract suite) can build batches. */
export interface InputSpec {
  /** Views per study (2 for IU X-Ray in the R2Gen family). */
  readonly views: number;
  /** Square image side in pixels. */
  readonly imageSize: number;
  /** Image channels. */
  readonly channels: number;
  /** Training sequence length T including BOS and EOS (R2Gen `max_seq_length`). */
  readonly maxSeqLength: number;
  /** Auxiliary inputs read by `forward`. */
  readonly aux: readonly AuxName[];
  /** Auxiliary inputs read by `generate` (a subset of `aux` or extra). */
  readonly inferAux: readonly AuxName[];
}

/** A JSON value; adapter configurations are JSON so that they round-trip through checkpoints. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object holding a complete adapter configuration. */
export type BackboneConfig = { [key: string]: JsonValue };

/** One training study as the host sees it, before any tensor exists. */
export interface CorpusStudy {
  readonly id: string;
  /** The raw report text. */
  readonly report: string;
  /** The 14 CheXpert label codes of the report (1, 0, −1, −2 = not mentioned), when the dataset has them. */
  readonly labels14?: Int8Array;
}

/** The training split, handed to {@link BackboneAdapter.prepare} once before training or inference. */
export interface Corpus {
  readonly train: readonly CorpusStudy[];
}

/** The contract every backbone implements (`specs/backbones.md` §6). */
export interface BackboneAdapter {
  /** Contract version. */
  readonly specificationVersion: 'v1';
  /** Registry id (`'r2gen'`). */
  readonly name: string;
  /** Tasks, `'lm'` first. */
  readonly tasks: readonly TaskSpec[];
  /** Variables reached by ≥ 2 tasks (the set CAME-Grad manipulates in scope `'shared'`). */
  readonly sharedParameters: tf.Variable[];
  /** Variables reached by exactly one task, keyed by task name. */
  readonly taskParameters: Record<string, tf.Variable[]>;
  /** Variables no task gradient reaches (momentum copies, frozen encoders). */
  readonly frozenParameters?: tf.Variable[];
  /** Optimizer groups; together they cover every trainable variable exactly once. */
  readonly paramGroups?: ParamGroup[];
  /** Every variable with its stable name, in a fixed order (checkpoints, digests). */
  readonly parameters: readonly NamedParameter[];
  /** Inputs the adapter expects. */
  readonly inputSpec: InputSpec;
  /** Tokenizer handle. */
  readonly tokenizer: Tokenizer;
  /**
   * One forward pass returning UNWEIGHTED per-task scalar losses. Deterministic given `ctx.seed`;
   * mutates no state unless `ctx.commitState`. `only` restricts computation to the listed tasks,
   * and a loss computed under `only` equals the same task's loss of the full pass.
   */
  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult;
  /** Commits stateful side effects once per optimizer step (DCL momentum and queues). */
  commitState?(batch: TrainBatch, ctx: StepContext): void;
  /** Validation hook (PromptMRG/DDaTR/REVTAF base-probability re-estimation). */
  onValidation?(stats: ValStats): void;
  /**
   * Builds corpus-level state from the training split: WCL's report clusters, a retrieval bank of
   * training reports, topic-model vocabularies. Deterministic given the corpus and the adapter's
   * seed, so `eval` and `--resume` rebuild the same state instead of checkpointing it.
   */
  prepare?(corpus: Corpus): void;
  /**
   * Per-batch auxiliary inputs that the host computes from the studies' own reports (cluster ids,
   * topic targets). Called for training batches only: inference inputs must never come from the
   * reference report, so `generate` gets none of these.
   */
  hostAux?(studies: readonly CorpusStudy[]): PlainAuxInputs;
  /** Generates one report per study. */
  generate(batch: InferBatch, opts: GenerateOptions): GenerateResult;
  /** Representation fast path: the shared representation h all tasks branch from. */
  encodeShared?(batch: TrainBatch, ctx: StepContext): tf.Tensor;
  /** Losses from a representation returned by {@link BackboneAdapter.encodeShared}. */
  lossesFromShared?(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar>;
  /** The complete configuration; `create(name, getConfig())` rebuilds an identical adapter. */
  getConfig(): BackboneConfig;
  /** Frees every variable the adapter owns. */
  dispose(): void;
}

/** Builds an adapter from a (partial) configuration. */
export type BackboneFactory = (config: BackboneConfig) => BackboneAdapter;
