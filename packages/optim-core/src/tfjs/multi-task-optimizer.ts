import * as tf from '@tensorflow/tfjs-core';
import type { AggregationInfo, Aggregator } from '../aggregators/aggregator';
import { resolveTaskWeights } from '../aggregators/options';
import type { StepDiagnostics } from '../diagnostics/step-diagnostics';
import { InvalidOptionError, ShapeError, SolverError } from '../errors';
import type { MethodConfig, StepContext } from '../types';
import { finalizeGradients } from './clip';
import { combineBlocks } from './combine';
import { deviceGram } from './device-gram';
import type { DeviceGram } from './device-gram';
import { disposeBlocks, taskGradients } from './jacobian';
import type { LossesFn } from './jacobian';
import { restoreInner, setInnerLearningRate, getInnerLearningRate, snapshotInner, STATE_PREFIX } from './inner-state';
import type { NamedTensor } from './inner-state';
import { resolveMethod, resolveOptions } from './multi-task-options';
import type { MultiTaskOptimizerOptions, ResolvedOptions } from './multi-task-options';
import { activeIndices, complementOf, weighActiveTasks } from './weigh-active-tasks';
import type { Decision } from './weigh-active-tasks';
import type { RemoteTaskGradients } from './remote-gradients';
import { representationGradients } from './representation';
import { gramFreeWeights, isGramFree, scalarisedGradients } from './scalarised';
import { backendIsHost, hostCombine, hostGram, hostMeasure, readBlocks } from './host-gram';
import type { RepresentationLosses } from './representation';

/** Per-step options of {@link MultiTaskOptimizer.step}. */
export interface MultiTaskStepOptions {
  /** ω for this step (the backbone's loss weights, possibly scheduled); default: the method's `weights`, else all ones. */
  readonly weights?: readonly number[];
  /**
   * Gradients of some tasks computed elsewhere during this step (task parallelism). Needs per-task
   * parameter gradients from one forward: `forward: 'once'`, `combine: 'gradients'`, a loss-function
   * step, and a method that reads M (or `diagnostics: true`).
   */
  readonly remote?: RemoteTaskGradients;
}

/**
 * Why a step was skipped without touching any variable (`no-active-task`: every ω_i was 0;
 * `solver-failed`: the method's K-space solver could not certify an answer for this step's M).
 */
export type SkipReason = 'non-finite-loss' | 'non-finite-gradient' | 'no-active-task' | 'solver-failed';

/** What one {@link MultiTaskOptimizer.step} did, for logging. All arrays are float64 copies. */
export interface MultiTaskStepResult {
  /** True when the inner optimizer applied an update. */
  readonly applied: boolean;
  readonly skipped: SkipReason | null;
  /** The K unweighted losses of the forward pass (float32 values). */
  readonly losses: Float64Array;
  /** ω used at this step. */
  readonly taskWeights: Float64Array;
  /** f: g_final = Σ f_i g_i on θ_S (`null` when skipped). */
  readonly weights: Float64Array | null;
  /** Row-major K'×K' M of the active tasks over θ_S, or over the features in representation mode (`null` when skipped). */
  readonly gram: Float64Array | null;
  /** The method's info plus `diagnostics` (came-grad.md §7), computed before clipping. */
  readonly info: AggregationInfo<object> | null;
  readonly diagnostics: StepDiagnostics | null;
  /** Where M lives: θ_S = all variables, the shared ones, or the shared features (representation mode). */
  readonly scope: 'all' | 'shared' | 'representation';
  /** Global L2 norm of the final per-variable gradients before clipping (`null` when skipped early). */
  readonly gradNorm: number | null;
  /** Norm-clipping factor (1 when under the threshold), `null` without norm clipping. */
  readonly clipScale: number | null;
  /** The power of two applied before squaring float32 gradients (came-grad.md §6); 1 almost always. */
  readonly prescale: number;
  /** Tasks that got a backward pass, in the order of `gram` and of the diagnostics' task indices. */
  readonly activeTasks: readonly number[];
  /** Tasks skipped at this step because ω_i = 0 (backbones.md §6); also in `diagnostics.droppedTasks`. */
  readonly droppedTasks: readonly number[];
}

const CLASS_NAME = 'CameGradMultiTaskOptimizer';

/** What {@link MultiTaskOptimizer} reports of a step's decision; `M` and `info` are `null` on the Gram-free path. */
type Outcome = Pick<Decision, 'f' | 'omega' | 'active'> & { readonly M: Float64Array | null; readonly info: Decision['info'] | null };

/**
 * A `tf.Optimizer` that turns K task losses into one update of an inner optimizer: per-task
 * gradients, the K×K Gram on the device (float64 accumulation), the method's weights in float64
 * K-space, Σ f_i g_i on the device, optional clipping, then one `applyGradients` (came-grad.md §2).
 * A non-finite loss or gradient skips the step and counts it; weights are never touched then.
 *
 * Plain `applyGradients`/`minimize` calls pass straight to the inner optimizer.
 */
export class MultiTaskOptimizer extends tf.Optimizer {
  /** The serialised class name (fixed, never `constructor.name`). */
  static get className(): string {
    return CLASS_NAME;
  }

  /** The wrapped optimizer. */
  readonly inner: tf.Optimizer;
  /** The K-space method, with diagnostics. */
  readonly aggregator: Aggregator<object>;
  private readonly opts: ResolvedOptions;
  private readonly variableList: readonly tf.Variable[] | null;
  private applied = 0;
  private skipped = 0;
  /** Set within a step when the method's solver threw; the step is then skipped, not aborted. */
  private solverFailed = false;

  /** Validates every option once (`InvalidOptionError` naming it). */
  constructor(options: MultiTaskOptimizerOptions) {
    super();
    this.opts = resolveOptions(options);
    if (!(options.inner instanceof tf.Optimizer)) {
      throw new InvalidOptionError('inner', 'a tf.Optimizer (tf.train.adam(), tf.train.sgd(), ...)', typeof options.inner);
    }
    // tf.Optimizer's `instanceof` is duck-typed (any optimizer matches any subclass): compare class names.
    if (options.inner.getClassName() === CLASS_NAME) {
      throw new InvalidOptionError('inner', 'a single-loss optimizer, not another MultiTaskOptimizer', CLASS_NAME);
    }
    this.inner = options.inner;
    this.aggregator = resolveMethod(options.method ?? 'came-grad');
    this.variableList = options.variables === undefined ? null : [...options.variables];
  }

  /** Steps applied so far. */
  get stepsApplied(): number {
    return this.applied;
  }

  /** Steps skipped on a non-finite loss or gradient. */
  get stepsSkipped(): number {
    return this.skipped;
  }

  /** The inner optimizer's learning rate; assigning it forwards the change like {@link setLearningRate}. */
  get learningRate(): number | undefined {
    return getInnerLearningRate(this.inner);
  }

  set learningRate(lr: number | undefined) {
    setInnerLearningRate(this.inner, lr as number);
  }

  /** Forwards a learning-rate change (a schedule) to the inner optimizer (came-grad.md §8.9). */
  setLearningRate(lr: number): void {
    setInnerLearningRate(this.inner, lr);
  }

  /**
   * One multi-task step. `losses` is either one forward pass returning the K scalar losses, or a
   * {@link RepresentationLosses} split (`encode` + `heads`) for the representation-level step, where
   * M is the Gram of the feature gradients ∂L_i/∂z (MGDA-UB style), the encoder receives
   * Σ f_i ∂L_i/∂θ through one backward pass, and head variables receive Σ ω_i ∂L_i/∂θ.
   */
  step(losses: LossesFn | RepresentationLosses, options: MultiTaskStepOptions = {}): MultiTaskStepResult {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('step options', 'an object', options);
    this.solverFailed = false;
    const xs = this.resolveVariables();
    const ctx: StepContext = options.weights === undefined ? { step: this.applied } : { step: this.applied, taskWeights: options.weights };
    const fast = !this.opts.diagnostics && isGramFree(this.aggregator.weighting);
    if (options.remote !== undefined) {
      const o = this.opts;
      if (fast || typeof losses !== 'function' || o.forward !== 'once' || o.combine !== 'gradients') {
        throw new InvalidOptionError(
          'remote',
          "absent unless the step takes per-task parameter gradients from one forward (a loss function, forward 'once', combine 'gradients', a method that reads M or diagnostics)",
          fast ? `the Gram-free method ${this.aggregator.weighting.id}` : typeof losses !== 'function' ? 'a representation step' : `forward '${o.forward}', combine '${o.combine}'`,
        );
      }
    }
    if (typeof losses === 'function') return fast ? this.scalarisedStep(losses, xs, ctx, this.opts.paramScope) : this.parameterStep(losses, xs, ctx, options.remote);
    if (typeof losses === 'object' && losses !== null && typeof losses.encode === 'function' && typeof losses.heads === 'function') {
      if (fast) {
        const { encode, heads } = losses;
        return this.scalarisedStep(() => heads(encode()), xs, ctx, 'representation');
      }
      return this.representationStep(losses, xs, ctx);
    }
    throw new InvalidOptionError('losses', 'a function returning K scalar losses, or { encode, heads }', typeof losses);
  }

  /** A Gram-free method without diagnostics: one backward of Σ f_i L_i (f = ω for `linear`). */
  private scalarisedStep(lossesFn: LossesFn, xs: readonly tf.Variable[], ctx: StepContext, scope: MultiTaskStepResult['scope']): MultiTaskStepResult {
    const omegaOf = (K: number): Float64Array => resolveTaskWeights(K, ctx, this.aggregator.weighting.taskWeights);
    const sg = scalarisedGradients(lossesFn, xs, (K) => this.activeMask(omegaOf(K)), (losses, active) =>
      gramFreeWeights(this.aggregator.weighting, active, omegaOf(losses.length), ctx.step ?? this.applied));
    const K = sg.losses.length;
    const omega = omegaOf(K);
    const active = activeIndices(sg.active);
    const dropped = complementOf(K, active);
    if (!sg.finite) return this.skip('non-finite-loss', sg.losses, omega, scope, dropped);
    if (active.length === 0 || sg.grads === null) return this.skip('no-active-task', sg.losses, omega, scope, dropped);
    const measured = backendIsHost() ? hostMeasure(sg.grads) : undefined;
    return this.finish(xs, sg.grads, sg.losses, { f: sg.f, omega, active, M: null, info: null }, null, scope, measured);
  }

  private parameterStep(lossesFn: LossesFn, xs: readonly tf.Variable[], ctx: StepContext, remote: RemoteTaskGradients | undefined): MultiTaskStepResult {
    const shared = this.sharedMask(xs);
    const scope = this.opts.paramScope;
    const omegaOf = (K: number): Float64Array => resolveTaskWeights(K, ctx, this.aggregator.weighting.taskWeights);
    const activeOf = (K: number): boolean[] => this.activeMask(omegaOf(K));
    let decided: Decision | null = null;
    let gram: DeviceGram | null = null;
    const weigh = (losses: Float64Array, blocks: (tf.Tensor | undefined)[][]): Float64Array | null => {
      const active = activeIndices(activeOf(losses.length));
      const rows = blocks.filter((_, v) => shared[v]).map((block) => active.map((i) => block[i]));
      gram = backendIsHost() ? hostGram(readBlocks(rows), active.length) : deviceGram(rows, active.length);
      if (gram.data === null) return null;
      decided = this.decide(gram.data, active, omegaOf(losses.length), ctx);
      return decided?.f ?? null;
    };
    const tg = taskGradients(lossesFn, xs, this.opts.forward, {
      activeOf,
      ...(this.opts.combine === 'backward' ? { reweigh: weigh } : {}),
      ...(remote === undefined ? {} : { remote }),
    });
    const K = tg.losses.length;
    const omega = omegaOf(K);
    const dropped = tg.active.flatMap((a, i) => (a ? [] : [i]));
    if (!tg.finite) return this.skip('non-finite-loss', tg.losses, omega, scope, dropped);
    if (dropped.length === K) {
      if (tg.grads !== null) disposeBlocks(tg.grads);
      return this.skip('no-active-task', tg.losses, omega, scope, dropped);
    }
    if (tg.combined === null && tg.grads === null) return this.skip(this.undecided(), tg.losses, omega, scope, dropped);
    let final: (tf.Tensor | undefined)[];
    if (tg.combined !== null) {
      final = tg.combined;
    } else {
      const blocks = tg.grads as (tf.Tensor | undefined)[][];
      try {
        if (backendIsHost()) return this.hostFinish(xs, blocks, tg.losses, shared, activeOf, omegaOf, ctx, scope, dropped);
        weigh(tg.losses, blocks);
        const d = decided as Decision | null;
        if (d === null) return this.skip(this.undecided(), tg.losses, omega, scope, dropped);
        final = blocks.map((block, v) => combineBlocks([block], shared[v] ? d.f : d.omega)[0]);
      } finally {
        disposeBlocks(blocks);
      }
    }
    const d = decided as Decision | null;
    if (d === null) {
      tf.dispose(final.filter((t): t is tf.Tensor => t !== undefined));
      return this.skip(this.undecided(), tg.losses, omega, scope, dropped);
    }
    return this.finish(xs, final, tg.losses, d, gram as DeviceGram | null, scope);
  }

  /**
   * The rest of a parameter-level step on a host-memory backend: every per-task gradient is read
   * once; M, its finiteness, Σ c_i g_i and the final norm come from JS passes over those values.
   */
  private hostFinish(
    xs: readonly tf.Variable[], blocks: (tf.Tensor | undefined)[][], losses: Float64Array, shared: readonly boolean[],
    activeOf: (K: number) => boolean[], omegaOf: (K: number) => Float64Array, ctx: StepContext, scope: MultiTaskStepResult['scope'], dropped: number[],
  ): MultiTaskStepResult {
    const K = losses.length;
    const omega = omegaOf(K);
    const active = activeIndices(activeOf(K));
    const values = readBlocks(blocks);
    const gram = hostGram(values.filter((_, v) => shared[v]).map((block) => active.map((i) => block[i])), active.length);
    if (gram.data === null) return this.skip('non-finite-gradient', losses, omega, scope, dropped);
    const d = this.decide(gram.data, active, omega, ctx);
    if (d === null) return this.skip(this.undecided(), losses, omega, scope, dropped);
    const combined = hostCombine(values, xs.map((x) => x.shape), (v) => (shared[v] ? d.f : d.omega));
    return this.finish(xs, combined.grads, losses, d, gram, scope, combined);
  }

  private representationStep(input: RepresentationLosses, xs: readonly tf.Variable[], ctx: StepContext): MultiTaskStepResult {
    const omegaOf = (K: number): Float64Array => resolveTaskWeights(K, ctx, this.aggregator.weighting.taskWeights);
    let decided: Decision | null = null;
    const rg = representationGradients(
      input,
      xs,
      (gram, losses, active) => {
        decided = this.decide(gram.data as Float64Array, active, omegaOf(losses.length), ctx);
        const f = (decided as Decision | null)?.f;
        return f === undefined ? null : Float64Array.from(active, (i) => f[i] as number);
      },
      (K) => this.activeMask(omegaOf(K)),
    );
    const K = rg.losses.length;
    const omega = omegaOf(K);
    const dropped = complementOf(K, rg.active);
    if (!rg.finite) return this.skip('non-finite-loss', rg.losses, omega, 'representation', dropped);
    if (rg.active.length === 0) return this.skip('no-active-task', rg.losses, omega, 'representation', dropped);
    const d = decided as Decision | null;
    if (rg.encoderGrads === null || rg.headGrads === null || d === null) {
      return this.skip(this.undecided(), rg.losses, omega, 'representation', dropped);
    }
    if (backendIsHost()) {
      // Heads get Σ ω_i ∂L_i/∂θ, the encoder its one combined backward (coefficient 1): one JS pass.
      const blocks = rg.headGrads.map((row, v) => [...row, rg.encoderGrads?.[v]]);
      const coefficients = Float64Array.from([...d.omega, 1]);
      try {
        const combined = hostCombine(readBlocks(blocks), xs.map((x) => x.shape), () => coefficients);
        return this.finish(xs, combined.grads, rg.losses, d, rg.gram, 'representation', combined);
      } finally {
        disposeBlocks(blocks);
      }
    }
    const heads = combineBlocks(rg.headGrads, d.omega);
    disposeBlocks(rg.headGrads);
    const final = heads.map((h, v) => {
      const e = rg.encoderGrads?.[v];
      if (h === undefined || e === undefined) return h ?? e;
      // A variable read by both the encoder and a head (tied embeddings) gets both contributions.
      const sum = tf.add(h, e);
      h.dispose();
      e.dispose();
      return sum;
    });
    return this.finish(xs, final, rg.losses, d, rg.gram, 'representation');
  }

  /**
   * The method's weights for M, or `null` when its solver cannot certify an answer: one degenerate M
   * (a task whose loss has all but vanished) skips that step instead of ending a long run.
   */
  private decide(M: Float64Array, active: readonly number[], omega: Float64Array, ctx: StepContext): Decision | null {
    try {
      return weighActiveTasks(this.aggregator, M, active, omega, ctx);
    } catch (error) {
      if (!(error instanceof SolverError)) throw error;
      this.solverFailed = true;
      return null;
    }
  }

  /** Why a step that reached M got no decision. */
  private undecided(): SkipReason {
    return this.solverFailed ? 'solver-failed' : 'non-finite-gradient';
  }

  /** Active tasks: ω_i > 0 when `dropInactiveTasks` is on (backbones.md §6), else all of them. */
  private activeMask(omega: Float64Array): boolean[] {
    return Array.from(omega, (w) => !this.opts.dropInactiveTasks || w > 0);
  }

  private finish(
    xs: readonly tf.Variable[], grads: (tf.Tensor | undefined)[], losses: Float64Array, d: Outcome,
    gram: DeviceGram | null, scope: MultiTaskStepResult['scope'], measured?: { readonly finite: boolean; readonly norm: number },
  ): MultiTaskStepResult {
    const fin = finalizeGradients(grads, this.opts.clip, measured);
    const owned = fin.grads.filter((t): t is tf.Tensor => t !== undefined);
    const dropped = complementOf(losses.length, d.active);
    if (!fin.finite) {
      tf.dispose(owned);
      return this.skip('non-finite-gradient', losses, d.omega, scope, dropped);
    }
    try {
      // Array form with a fixed order and `undefined` holes: the inner optimizer keys its slots by
      // position, so the slot of a variable that got no gradient this step must not shift.
      // Frozen variables of an explicit `variables` list keep their slot too, with no gradient.
      const byName = new Map(xs.map((x, v) => [x.name, fin.grads[v]]));
      const slots = this.variableList ?? xs;
      this.inner.applyGradients(slots.map((x) => ({ name: x.name, tensor: byName.get(x.name) as tf.Tensor })));
    } finally {
      tf.dispose(owned);
    }
    this.applied++;
    return {
      applied: true, skipped: null, losses, taskWeights: d.omega, weights: d.f, gram: d.M, info: d.info,
      diagnostics: d.info?.diagnostics ?? null, scope, gradNorm: fin.norm, clipScale: fin.clipScale, prescale: gram?.prescale ?? 1,
      activeTasks: [...d.active], droppedTasks: dropped,
    };
  }

  private skip(
    reason: SkipReason, losses: Float64Array, omega: Float64Array, scope: MultiTaskStepResult['scope'], droppedTasks: readonly number[],
  ): MultiTaskStepResult {
    this.skipped++;
    return {
      applied: false, skipped: reason, losses, taskWeights: omega, weights: null, gram: null, info: null,
      diagnostics: null, scope, gradNorm: null, clipScale: null, prescale: 1, activeTasks: complementOf(losses.length, droppedTasks), droppedTasks,
    };
  }

  /** The variables of this step: frozen ones (`trainable: false`) are excluded, as tf.variableGrads does. */
  private resolveVariables(): readonly tf.Variable[] {
    const registered = tf.engine().registeredVariables;
    const all = this.variableList ?? Object.keys(registered).map((k) => registered[k] as tf.Variable);
    const xs = all.filter((v) => v.trainable);
    if (xs.length === 0) throw new ShapeError('variables', 'at least one trainable tf.Variable', 'none');
    return xs;
  }

  private sharedMask(xs: readonly tf.Variable[]): boolean[] {
    const names = this.opts.sharedNames;
    if (names === null) return xs.map(() => true);
    const set = new Set(names);
    const mask = xs.map((x) => set.has(x.name));
    for (const n of names) {
      if (!xs.some((x) => x.name === n)) {
        throw new ShapeError(`sharedVariables ("${n}")`, 'a trainable variable among those being trained', 'no such variable');
      }
    }
    return mask;
  }

  /** Passes a single-loss update straight to the inner optimizer (so `minimize` works too). */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    this.inner.applyGradients(variableGradients);
  }

  /**
   * Snapshot of the state needed for an exact resume: the inner optimizer's weights (cloned), its
   * scalar state variables that its own `getWeights` omits, and this wrapper's step counters. The
   * caller owns (and disposes) the returned tensors.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const inner = await snapshotInner(this.inner);
    return [
      ...inner,
      { name: `${STATE_PREFIX}applied`, tensor: tf.scalar(this.applied, 'int32') },
      { name: `${STATE_PREFIX}skipped`, tensor: tf.scalar(this.skipped, 'int32') },
    ];
  }

  /** Restores a {@link getWeights} snapshot; restore into a freshly constructed optimizer. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await restoreInner(this.inner, weightValues);
    for (const w of weightValues) {
      if (w.name === `${STATE_PREFIX}applied`) this.applied = (await w.tensor.data())[0] as number;
      if (w.name === `${STATE_PREFIX}skipped`) this.skipped = (await w.tensor.data())[0] as number;
    }
  }

  /** Serialisable configuration; `MultiTaskOptimizer.fromConfig` rebuilds an equivalent optimizer. */
  getConfig(): tf.serialization.ConfigDict {
    const o = this.opts;
    const cfg: tf.serialization.ConfigDict = {
      inner: { className: this.inner.getClassName(), config: this.inner.getConfig() },
      method: this.aggregator.toConfig() as unknown as tf.serialization.ConfigDict,
      paramScope: o.paramScope,
      clip: o.clip === 'none' ? 'none' : { ...o.clip },
      forward: o.forward,
      combine: o.combine,
      dropInactiveTasks: o.dropInactiveTasks,
      diagnostics: o.diagnostics,
    };
    if (o.sharedNames !== null) cfg['sharedVariables'] = [...o.sharedNames];
    if (o.variableNames !== null) cfg['variables'] = [...o.variableNames];
    return cfg;
  }

  /**
   * Rebuilds from {@link getConfig}: the inner optimizer through tfjs's serialisation registry,
   * the method through the optim-core registry, variables by name from the engine.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict,
  ): T {
    const inner = config['inner'] as { className?: unknown; config?: unknown } | undefined;
    const entry = typeof inner?.className === 'string' ? tf.serialization.SerializationMap.getMap().classNameMap[inner.className] : undefined;
    if (entry === undefined) {
      throw new InvalidOptionError('config.inner.className', 'a tfjs optimizer class registered for serialisation', inner?.className);
    }
    const [innerCls, innerFromConfig] = entry;
    const innerOptimizer = innerFromConfig(innerCls, (inner?.config ?? {}) as tf.serialization.ConfigDict) as unknown as tf.Optimizer;
    const byName = (names: unknown): tf.Variable[] | undefined => {
      if (names === undefined) return undefined;
      const reg = tf.engine().registeredVariables;
      return (names as string[]).map((n) => {
        const v = reg[n];
        if (v === undefined) throw new ShapeError(`config.variables ("${n}")`, 'a variable registered with the engine', 'no such variable');
        return v;
      });
    };
    const variables = byName(config['variables']);
    const options: MultiTaskOptimizerOptions = {
      inner: innerOptimizer,
      method: config['method'] as unknown as MethodConfig,
      paramScope: config['paramScope'] as MultiTaskOptimizerOptions['paramScope'] & string,
      clip: config['clip'] as unknown as NonNullable<MultiTaskOptimizerOptions['clip']>,
      forward: config['forward'] as NonNullable<MultiTaskOptimizerOptions['forward']>,
      combine: config['combine'] as NonNullable<MultiTaskOptimizerOptions['combine']>,
      ...(typeof config['dropInactiveTasks'] === 'boolean' ? { dropInactiveTasks: config['dropInactiveTasks'] } : {}),
      ...(typeof config['diagnostics'] === 'boolean' ? { diagnostics: config['diagnostics'] } : {}),
      ...(variables === undefined ? {} : { variables }),
      ...(config['sharedVariables'] === undefined ? {} : { sharedVariables: config['sharedVariables'] as string[] }),
    };
    return new (cls as unknown as new (o: MultiTaskOptimizerOptions) => T)(options);
  }

  /** Disposes the inner optimizer's state too: the wrapper owns it. */
  override dispose(): void {
    this.inner.dispose();
    super.dispose();
  }
}
