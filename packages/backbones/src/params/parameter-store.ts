import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import type { NamedParameter } from '../contract';
import { initialValues, type Initializer } from '../random/initializers';
import { deriveSeed } from '../random/seed';

/**
 * Owns an adapter's variables under stable dotted names (`encoder.layers.0.attn.wq`). Each
 * variable's initial values come from `deriveSeed(seed, name)`, so the same seed gives the same
 * weights and a variable's values do not depend on what else was created.
 *
 * tfjs variable names must be unique per engine, so the tfjs names are left to tfjs and the
 * stable names live here.
 */
export class ParameterStore {
  readonly #seed: number;
  readonly #entries: NamedParameter[] = [];
  readonly #byName = new Map<string, tf.Variable>();

  /** @param seed Base seed of every initialiser. */
  constructor(seed: number) {
    this.#seed = seed;
  }

  /** Creates a variable. @throws InvalidOptionError when the name is taken. */
  add(name: string, shape: readonly number[], init: Initializer, trainable = true): tf.Variable {
    if (this.#byName.has(name)) throw new InvalidOptionError('parameter name', 'unique within the adapter', name);
    const values = initialValues(init, shape, deriveSeed(this.#seed, name));
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, [...shape], 'float32'), trainable));
    this.#entries.push({ name, variable });
    this.#byName.set(name, variable);
    return variable;
  }

  /** Every variable in creation order. */
  entries(): readonly NamedParameter[] {
    return this.#entries;
  }

  /** The variables whose names start with one of the prefixes, in creation order. */
  select(prefixes: readonly string[]): tf.Variable[] {
    return this.#entries.filter((e) => prefixes.some((p) => e.name === p || e.name.startsWith(`${p}.`))).map((e) => e.variable);
  }

  /** Disposes every variable. */
  dispose(): void {
    for (const e of this.#entries) e.variable.dispose();
    this.#entries.length = 0;
    this.#byName.clear();
  }
}
