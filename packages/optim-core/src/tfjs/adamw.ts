import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors';
import type { NamedTensor } from './inner-state';

/** A group of variables (by name) with its own learning-rate scale and weight decay. */
export interface AdamWGroup {
  readonly name: string;
  readonly variables: readonly string[];
  /** Multiplies the optimizer's learning rate for this group (R2Gen's lr_ve vs lr_ed). Default 1. */
  readonly lrScale?: number;
  /** Decoupled weight decay of this group. Default: the optimizer's `weightDecay`. */
  readonly weightDecay?: number;
}

/** Options of {@link AdamW}. */
export interface AdamWOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Decoupled weight decay λ (Loshchilov & Hutter, ICLR 2019). Default 0.01. */
  readonly weightDecay?: number;
  readonly groups?: readonly AdamWGroup[];
}

export const ADAMW_DEFAULTS = Object.freeze({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 });

interface Slot {
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

/**
 * Adam with decoupled weight decay (AdamW, Loshchilov & Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019), as `torch.optim.AdamW` computes it:
 *
 *   θ ← θ − lr·λ·θ;   m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)g²;
 *   θ ← θ − lr · (m / (1−β₁ᵗ)) / (sqrt(v / (1−β₂ᵗ)) + ε)
 *
 * Two choices differ from tfjs's own Adam, both for exact resume: moments are keyed by variable
 * name (not by position in the gradient list), and the bias corrections 1−βᵗ are computed in
 * float64 from the step count, so a restored optimizer continues bit for bit.
 */
export class AdamW extends tf.Optimizer {
  static get className(): string {
    return 'CameGradAdamW';
  }

  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly groups: readonly AdamWGroup[];
  readonly #groupOf = new Map<string, AdamWGroup>();
  readonly #slots = new Map<string, Slot>();
  #step = 0;

  constructor(options: AdamWOptions) {
    super();
    const check = (name: string, value: unknown, ok: (x: number) => boolean, expected: string): number => {
      if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new InvalidOptionError(name, expected, value);
      return value;
    };
    this.learningRate = check('learningRate', options.learningRate, (x) => x >= 0, 'a finite number ≥ 0');
    this.beta1 = check('beta1', options.beta1 ?? ADAMW_DEFAULTS.beta1, (x) => x >= 0 && x < 1, 'in [0, 1)');
    this.beta2 = check('beta2', options.beta2 ?? ADAMW_DEFAULTS.beta2, (x) => x >= 0 && x < 1, 'in [0, 1)');
    this.epsilon = check('epsilon', options.epsilon ?? ADAMW_DEFAULTS.epsilon, (x) => x > 0, 'a finite number > 0');
    this.weightDecay = check('weightDecay', options.weightDecay ?? ADAMW_DEFAULTS.weightDecay, (x) => x >= 0, 'a finite number ≥ 0');
    this.groups = (options.groups ?? []).map((group, i) => {
      check(`groups[${i}].lrScale`, group.lrScale ?? 1, (x) => x >= 0, 'a finite number ≥ 0');
      check(`groups[${i}].weightDecay`, group.weightDecay ?? 0, (x) => x >= 0, 'a finite number ≥ 0');
      for (const name of group.variables) {
        if (this.#groupOf.has(name)) throw new InvalidOptionError(`groups[${i}].variables`, 'variables that belong to one group only', name);
        this.#groupOf.set(name, group);
      }
      return { ...group, variables: [...group.variables] };
    });
  }

  /** Number of updates applied so far (t in the bias corrections). */
  get step(): number {
    return this.#step;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const t = this.#step + 1;
    const correction1 = 1 - this.beta1 ** t;
    const correction2 = 1 - this.beta2 ** t;
    for (const [name, gradient] of entries) {
      if (gradient === undefined || gradient === null) continue;
      const variable = tf.engine().registeredVariables[name];
      if (variable === undefined) throw new InvalidOptionError('variableGradients', 'names of registered variables', name);
      const group = this.#groupOf.get(name);
      const lr = this.learningRate * (group?.lrScale ?? 1);
      const decay = group?.weightDecay ?? this.weightDecay;
      const slot = this.#slot(name, variable);
      tf.tidy(() => {
        // Functional ops: tfjs-core alone does not install the chained tensor methods.
        const m = tf.add(tf.mul(slot.m, this.beta1), tf.mul(gradient, 1 - this.beta1));
        const v = tf.add(tf.mul(slot.v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        const update = tf.div(tf.div(m, correction1), tf.add(tf.sqrt(tf.div(v, correction2)), this.epsilon));
        const decayed = decay === 0 ? variable : tf.mul(variable, 1 - lr * decay);
        slot.m.assign(m);
        slot.v.assign(v);
        variable.assign(tf.sub(decayed, tf.mul(update, lr)));
      });
    }
    this.#step = t;
    this.incrementIterations();
  }

  #slot(name: string, variable: tf.Variable): Slot {
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      slot = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false) }));
      this.#slots.set(name, slot);
    }
    return slot;
  }

  /** The step count and every moment, named `<variable>/m` and `<variable>/v`, in name order. */
  override async getWeights(): Promise<NamedTensor[]> {
    const names = [...this.#slots.keys()].sort();
    const weights: NamedTensor[] = [{ name: 'iter', tensor: tf.scalar(this.#step, 'int32') }];
    for (const name of names) {
      const slot = this.#slots.get(name) as Slot;
      weights.push({ name: `${name}/m`, tensor: slot.m.clone() }, { name: `${name}/v`, tensor: slot.v.clone() });
    }
    return weights;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const iter = weightValues.find((w) => w.name === 'iter');
    if (iter === undefined) throw new InvalidOptionError('weightValues', "a list with the 'iter' entry of getWeights()", weightValues.map((w) => w.name));
    this.#disposeSlots();
    this.#step = (await iter.tensor.data())[0] ?? 0;
    this.iterations_ = this.#step;
    const moments = new Map<string, { m?: tf.Tensor; v?: tf.Tensor }>();
    for (const { name, tensor } of weightValues) {
      const match = /^(.*)\/([mv])$/.exec(name);
      if (match === null) continue;
      const entry = moments.get(match[1] as string) ?? {};
      entry[match[2] as 'm' | 'v'] = tensor;
      moments.set(match[1] as string, entry);
    }
    for (const [name, { m, v }] of moments) {
      if (m === undefined || v === undefined) throw new InvalidOptionError('weightValues', `both moments of ${name}`, name);
      this.#slots.set(name, tf.tidy(() => ({ m: tf.variable(m.clone(), false), v: tf.variable(v.clone(), false) })));
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
      groups: this.groups.map((g) => ({
        name: g.name,
        variables: [...g.variables],
        ...(g.lrScale === undefined ? {} : { lrScale: g.lrScale }),
        ...(g.weightDecay === undefined ? {} : { weightDecay: g.weightDecay }),
      })),
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new (cls as unknown as new (options: AdamWOptions) => T)(config as unknown as AdamWOptions);
  }

  override dispose(): void {
    this.#disposeSlots();
    super.dispose();
  }

  #disposeSlots(): void {
    for (const slot of this.#slots.values()) {
      slot.m.dispose();
      slot.v.dispose();
    }
    this.#slots.clear();
  }
}
