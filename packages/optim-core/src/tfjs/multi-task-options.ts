import type * as tf from '@tensorflow/tfjs-core';
import { gramianWeighted } from '../aggregators/aggregator';
import type { Aggregator } from '../aggregators/aggregator';
import { createWeighting } from '../aggregators/registry';
import { InvalidOptionError } from '../errors';
import type { MethodConfig, Weighting } from '../types';
import { validateClip } from './clip';
import type { ClipOption } from './clip';
import type { ForwardStrategy } from './jacobian';

/**
 * Which parameters the method manipulates (came-grad.md §8.1).
 * - `'all'`: θ_S = every variable being trained; a task-specific variable of task i gets f_i·∂L_i/∂θ.
 * - `'shared'`: θ_S = `sharedVariables`; every other variable gets the linear-scalarisation
 *   gradient Σ_i ω_i ∂L_i/∂θ, unscaled.
 */
export type ParamScope = 'all' | 'shared';

/**
 * How g_final = Σ f_i g_i reaches the variables.
 * - `'gradients'`: combined on the device from the stored per-task gradients.
 * - `'backward'`: the per-task gradients are released once M is built and g_final comes from one
 *   extra backward pass of Σ f_i L_i (came-grad.md §3, consequence 3): one more backward, K fewer
 *   stored gradient copies at combination time. Needs `paramScope: 'all'` and `forward: 'once'`.
 */
export type CombineStrategy = 'gradients' | 'backward';

/** The method: a registry id, a `{ id, options }` config, a `Weighting`, or an `Aggregator`. */
export type MethodSpec = string | MethodConfig | Weighting | Aggregator;

/** Options of {@link MultiTaskOptimizer}. Validated once, in the constructor. */
export interface MultiTaskOptimizerOptions {
  /** The base optimizer that receives the one combined update (Adam, SGD, an AdamW-style optimizer, ...). */
  readonly inner: tf.Optimizer;
  /** The multi-task method. Default `'came-grad'` with its defaults. */
  readonly method?: MethodSpec;
  /**
   * The variables to train, in a fixed order (the inner optimizer keys its state by position).
   * Default: every trainable variable registered with the engine at each step, as `tf.variableGrads` does.
   */
  readonly variables?: readonly tf.Variable[];
  /** Default `'all'`. */
  readonly paramScope?: ParamScope;
  /** θ_S for `paramScope: 'shared'` (variables or their names); required there, forbidden otherwise. */
  readonly sharedVariables?: readonly (tf.Variable | string)[];
  /** Clipping after combination (came-grad.md §8.3). Default `'none'`. */
  readonly clip?: ClipOption;
  /** Default `'once'`. */
  readonly forward?: ForwardStrategy;
  /** Default `'gradients'`. */
  readonly combine?: CombineStrategy;
  /**
   * Skip tasks whose ω_i is 0 at this step (epoch-gated or annealed losses): no backward pass, no
   * finiteness check of their loss, no row in M, f_i = 0; reported as `droppedTasks`
   * (backbones.md §6). With `false`, zero-weight tasks keep their row (came-grad.md §5.4). Default `true`.
   */
  readonly dropInactiveTasks?: boolean;
  /**
   * Compute per-task gradients, M and the step diagnostics even for a method whose weights do not
   * read M (`linear`). With `false` (default) such a method takes one backward of Σ f_i L_i, as
   * single-loss training does, and its results carry `gram`, `info` and `diagnostics` = `null`.
   * Methods that read M always compute them.
   */
  readonly diagnostics?: boolean;
}

/** The validated, serialisable part of the options. */
export interface ResolvedOptions {
  readonly paramScope: ParamScope;
  readonly sharedNames: readonly string[] | null;
  readonly variableNames: readonly string[] | null;
  readonly clip: ClipOption;
  readonly forward: ForwardStrategy;
  readonly combine: CombineStrategy;
  readonly dropInactiveTasks: boolean;
  readonly diagnostics: boolean;
}

const KNOWN = ['inner', 'method', 'variables', 'paramScope', 'sharedVariables', 'clip', 'forward', 'combine', 'dropInactiveTasks', 'diagnostics'];

/** Validates everything except `inner` and `method`; errors name the option and what was expected. */
export function resolveOptions(options: MultiTaskOptimizerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object with at least `inner`', options);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw new InvalidOptionError(key, `one of the options ${KNOWN.join(', ')}`, key);
  }
  const paramScope = options.paramScope ?? 'all';
  if (paramScope !== 'all' && paramScope !== 'shared') {
    throw new InvalidOptionError('paramScope', "'all' or 'shared'", paramScope);
  }
  const forward = options.forward ?? 'once';
  if (forward !== 'once' && forward !== 'per-task') throw new InvalidOptionError('forward', "'once' or 'per-task'", forward);
  const combine = options.combine ?? 'gradients';
  if (combine !== 'gradients' && combine !== 'backward') {
    throw new InvalidOptionError('combine', "'gradients' or 'backward'", combine);
  }
  if (combine === 'backward' && (paramScope !== 'all' || forward !== 'once')) {
    throw new InvalidOptionError('combine', "'gradients' unless paramScope is 'all' and forward is 'once'", combine);
  }
  let sharedNames: string[] | null = null;
  if (paramScope === 'shared') {
    if (!Array.isArray(options.sharedVariables) || options.sharedVariables.length === 0) {
      throw new InvalidOptionError('sharedVariables', "a non-empty list of variables or names when paramScope is 'shared'", options.sharedVariables);
    }
    sharedNames = options.sharedVariables.map((v, i) => variableName(v, `sharedVariables[${i}]`));
  } else if (options.sharedVariables !== undefined) {
    throw new InvalidOptionError('sharedVariables', "absent unless paramScope is 'shared'", '(a list)');
  }
  let variableNames: string[] | null = null;
  if (options.variables !== undefined) {
    if (!Array.isArray(options.variables) || options.variables.length === 0) {
      throw new InvalidOptionError('variables', 'a non-empty list of tf.Variable', options.variables);
    }
    variableNames = options.variables.map((v, i) => variableName(v, `variables[${i}]`));
    if (new Set(variableNames).size !== variableNames.length) {
      throw new InvalidOptionError('variables', 'a list without repeated variables', variableNames);
    }
    if (sharedNames !== null) {
      const missing = sharedNames.filter((n) => !variableNames?.includes(n));
      if (missing.length > 0) throw new InvalidOptionError('sharedVariables', 'a subset of `variables`', missing);
    }
  }
  const dropInactiveTasks = options.dropInactiveTasks ?? true;
  if (typeof dropInactiveTasks !== 'boolean') throw new InvalidOptionError('dropInactiveTasks', 'a boolean', dropInactiveTasks);
  const diagnostics = options.diagnostics ?? false;
  if (typeof diagnostics !== 'boolean') throw new InvalidOptionError('diagnostics', 'a boolean', diagnostics);
  return { paramScope, sharedNames, variableNames, clip: validateClip(options.clip), forward, combine, dropInactiveTasks, diagnostics };
}

function variableName(v: unknown, what: string): string {
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' && 'trainable' in v) {
    return (v as unknown as { name: string }).name;
  }
  throw new InvalidOptionError(what, 'a tf.Variable or a variable name', v);
}

/** Builds the method's Gram-level aggregator (with diagnostics) from any {@link MethodSpec}. */
export function resolveMethod(spec: MethodSpec): Aggregator<object> {
  if (typeof spec === 'string') return gramianWeighted(createWeighting(spec, {}) as Weighting<object>);
  if (typeof spec === 'object' && spec !== null) {
    if ('weighting' in spec && typeof (spec as Aggregator).weights === 'function') return spec as Aggregator<object>;
    if ('weigh' in spec && typeof (spec as Weighting).weigh === 'function') return gramianWeighted(spec as Weighting<object>);
    if ('id' in spec && typeof spec.id === 'string') {
      const cfg = spec as MethodConfig;
      return gramianWeighted(createWeighting(cfg.id, cfg.options ?? {}) as Weighting<object>);
    }
  }
  throw new InvalidOptionError('method', 'a method id, a { id, options } config, a Weighting or an Aggregator', spec);
}
