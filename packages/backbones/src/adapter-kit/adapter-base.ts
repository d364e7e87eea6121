import * as tf from '@tensorflow/tfjs-core';
import type {
  BackboneAdapter, BackboneConfig, ForwardResult, GenerateOptions, GenerateResult, InferBatch, InputSpec, NamedParameter,
  ParamGroup, StepContext, TaskSpec, TrainBatch,
} from '../contract';
import type { ParameterStore } from '../params/parameter-store';
import { WordTokenizer } from '../tokenizer/word-tokenizer';
import { configToJson } from './config-json';
import { selectTasks } from './select-tasks';

/**
 * How an adapter's variables split into tasks and groups, and what it reads: the backbone-specific
 * metadata a concrete adapter computes from its freshly built model.
 */
export interface AdapterLayout {
  readonly tasks: readonly TaskSpec[];
  readonly sharedParameters: tf.Variable[];
  readonly taskParameters: Record<string, tf.Variable[]>;
  /** Variables no task trains (default none). */
  readonly frozenParameters?: tf.Variable[];
  readonly paramGroups: ParamGroup[];
  /** Every variable by name (default the model store's own live list, `store.entries()`). */
  readonly parameters?: readonly NamedParameter[];
  readonly inputSpec: InputSpec;
}

/** What {@link AdapterBase} needs of a model: the store that owns its variables (released by `dispose`). */
export interface StoredModel {
  readonly store: ParameterStore;
}

/**
 * The part of {@link BackboneAdapter} that is the same in every backbone of this package: the
 * metadata fields, the `only` task selection, `getConfig` and `dispose`. A backbone extends it
 * with its own `forward` and `generate` (and, where it has them, `prepare`, `hostAux`,
 * `commitState`, `onValidation`). Model and configuration stay in private fields behind
 * protected getters, so the adapter's own enumerable properties are the contract's fields alone.
 */
export abstract class AdapterBase<C extends { readonly vocab: readonly string[] }, M extends StoredModel> implements BackboneAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly tasks: readonly TaskSpec[];
  readonly sharedParameters: tf.Variable[];
  readonly taskParameters: Record<string, tf.Variable[]>;
  readonly frozenParameters: tf.Variable[];
  readonly paramGroups: ParamGroup[];
  readonly parameters: readonly NamedParameter[];
  readonly inputSpec: InputSpec;
  readonly tokenizer: WordTokenizer;
  readonly #config: C;
  readonly #model: M;

  /**
   * Builds the tokenizer from `config.vocab`, then the model for its vocabulary size, then the
   * layout of that model.
   *
   * @param name registry id, also the adapter's `name`
   * @param config the resolved configuration, which `getConfig` serialises
   */
  protected constructor(name: string, config: C, createModel: (vocabSize: number) => M, layout: (model: M) => AdapterLayout) {
    this.name = name;
    this.#config = config;
    this.tokenizer = new WordTokenizer(config.vocab);
    this.#model = createModel(this.tokenizer.vocabSize);
    const parts = layout(this.#model);
    this.tasks = parts.tasks;
    this.sharedParameters = parts.sharedParameters;
    this.taskParameters = parts.taskParameters;
    this.frozenParameters = parts.frozenParameters ?? [];
    this.paramGroups = parts.paramGroups;
    this.parameters = parts.parameters ?? this.#model.store.entries();
    this.inputSpec = parts.inputSpec;
  }

  /** The resolved configuration. */
  protected get config(): C {
    return this.#config;
  }

  /** The backbone's model. */
  protected get model(): M {
    return this.#model;
  }

  /** The tasks a call computes: all, or the ones `only` lists (a `ContractError` names an unknown one). */
  protected selected(only: readonly string[] | undefined): Set<string> {
    return selectTasks(this.name, this.tasks, only);
  }

  /** The texts of generated id sequences, in batch order. */
  protected decode(ids: readonly number[][]): string[] {
    return ids.map((seq) => this.tokenizer.decode(seq));
  }

  /**
   * Runs a search and decodes its ids, disposing `scratch` (the search's inputs) either way. The
   * caller's `clsProbs` goes out with the texts, or is disposed when the search throws, so that a
   * failed `generate` leaks nothing.
   */
  protected generated(search: () => number[][], scratch: tf.Tensor | readonly tf.Tensor[], clsProbs?: tf.Tensor2D): GenerateResult {
    try {
      const texts = this.decode(search());
      return clsProbs === undefined ? { texts } : { texts, clsProbs };
    } catch (error) {
      clsProbs?.dispose();
      throw error;
    } finally {
      tf.dispose(scratch as tf.Tensor | tf.Tensor[]);
    }
  }

  abstract forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult;

  abstract generate(batch: InferBatch, opts: GenerateOptions): GenerateResult;

  getConfig(): BackboneConfig {
    return configToJson(this.#config);
  }

  /** Releases every variable of the model's store; adapters holding more (banks, momentum copies) release that first. */
  dispose(): void {
    this.#model.store.dispose();
  }
}
