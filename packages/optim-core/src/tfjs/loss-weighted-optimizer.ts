import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '../errors';
import type { MethodConfig } from '../types';
import type { Scalarizer } from '../scalarizers/scalarizer';
import { createScalarizer } from '../scalarizers/scalarizer-registry';
import { applyFinalGradients, holes, trainableVariables } from './apply-final';
import { validateClip } from './clip';
import type { ClipOption } from './clip';
import { innerOptimizerOf } from './inner-optimizer';
import { restoreInner, setInnerLearningRate, snapshotInner } from './inner-state';
import type { NamedTensor } from './inner-state';
import { checkLosses, readLosses } from './jacobian';
import type { LossesFn } from './jacobian';
import { checkStepCounters, maskOf, namesOf } from './method-state';
import type { MethodStepCounters } from './method-state';
import type { SkipReason } from './multi-task-optimizer';
import { untaped } from './untaped';

/** Options of {@link LossWeightedOptimizer}. Validated once, in the constructor. */
export interface LossWeightedOptimizerOptions {
  /** The optimizer that receives the one update of each step (AdamW, Adam, SGD, ...). */
  readonly inner: tf.Optimizer;
  /** The loss-weighting method: a scalarizer, a registry id (`'uw'`, `'famo'`, ...) or `{ id, options }`. */
  readonly method: Scalarizer | string | MethodConfig;
  /** The variables to train, in a fixed order. Default: every trainable variable of the engine. */
  readonly variables?: readonly tf.Variable[];
  /**
   * W, where a method that needs gradient norms (GradNorm) measures ‖∇_W L_i‖: variables or
   * their names. Required for such a method, ignored otherwise. mtl-methods.md §4.3 makes the
   * backbone's shared parameters the project default (what LibMTL uses).
   */
  readonly normVariables?: readonly (tf.Variable | string)[];
  /** Clipping of the final gradient, as in {@link MultiTaskOptimizer}. Default `'none'`. */
  readonly clip?: ClipOption;
  /** Seed of the method's RNG (RLW draws from it). Default 0. */
  readonly seed?: number;
}

/** Per-step options of {@link LossWeightedOptimizer.step}. */
export interface LossWeightedStepOptions {
  /**
   * Tasks in the model's loss this step (a backbone schedule's ω_i > 0). A gated task is still
   * observed by the method (its loss feeds the state) but gets no gradient. Default: all.
   */
  readonly active?: readonly boolean[];
  /** The data epoch of this step's batch: when it grows, the method's epoch is closed first. */
  readonly epoch?: number;
}

/** What one {@link LossWeightedOptimizer.step} did. Arrays are float64 copies. */
export interface LossWeightedStepResult {
  readonly applied: boolean;
  readonly skipped: SkipReason | null;
  /** The K unweighted losses of the forward pass. */
  readonly losses: Float64Array;
  /** λ as the method gave it for this step (`null` when the step stopped before). */
  readonly lossWeights: Float64Array | null;
  /** The coefficients of the backward pass: λ_i for active tasks, 0 for gated ones. */
  readonly weights: Float64Array | null;
  /** The method's per-step info (e.g. UW's log-variances, FAMO's z). */
  readonly info: object | null;
  /** FAMO: the same batch's losses after the update (`null` when not required or skipped). */
  readonly lossesAfter: Float64Array | null;
  /** GradNorm: ‖∇_W L_i‖ (`null` when not required or skipped). */
  readonly gradNorms: Float64Array | null;
  /** Global L2 norm of the final gradient before clipping. */
  readonly gradNorm: number | null;
  readonly clipScale: number | null;
  readonly activeTasks: readonly number[];
  readonly droppedTasks: readonly number[];
}

/** The JSON state of a {@link LossWeightedOptimizer} besides its inner optimizer's tensors. */
export interface LossWeightedState extends MethodStepCounters {
  /** The number of tasks, 0 before the first step. */
  readonly K: number;
  /** The method's own state, `null` before the first step (K unknown). */
  readonly method: object | null;
}

/**
 * The training step of the loss-weighting methods (UW, DWA, GradNorm, FAMO, RLW; mtl-methods.md §4):
 * one forward → the K unweighted losses → λ = `lossWeights(losses)` → ONE backward of Σ λ_i L_i →
 * the finiteness guard and clipping of {@link MultiTaskOptimizer} → one inner update → the method
 * learns from what its `requires` asks for:
 * - `gradNorms` (GradNorm): ‖∇_W L_i‖ from K backward passes over W only, nested in the same
 *   forward's tape (no second forward), before the update, as LibMTL measures them;
 * - `lossesAfter` (FAMO): the same batch's losses re-evaluated after the update (one forward,
 *   no tape). The forward must be deterministic for a batch (backbones seed dropout per step).
 * A skipped step (non-finite loss or gradient) leaves both the model and the method untouched.
 */
export class LossWeightedOptimizer {
  readonly inner: tf.Optimizer;
  readonly method: Scalarizer;
  private readonly variableList: readonly tf.Variable[] | null;
  private readonly normNames: readonly string[] | null;
  private readonly clip: ClipOption;
  private readonly seed: number;
  private K = 0;
  private counters: MethodStepCounters = { applied: 0, skipped: 0, lastEpoch: null, updatesThisEpoch: 0 };

  constructor(options: LossWeightedOptimizerOptions) {
    this.inner = innerOptimizerOf(options);
    this.method = resolveScalarizer(options.method);
    this.variableList = options.variables === undefined ? null : [...options.variables];
    this.clip = validateClip(options.clip);
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed) || seed < 0) throw new InvalidOptionError('seed', 'an integer ≥ 0', seed);
    this.seed = seed;
    this.normNames = options.normVariables === undefined ? null : namesOf('normVariables', options.normVariables);
    if (this.method.requires.gradNorms && (this.normNames === null || this.normNames.length === 0)) {
      throw new InvalidOptionError('normVariables', `the shared weights W at which ${this.method.id} measures ‖∇_W L_i‖ (mtl-methods.md §4.3)`, options.normVariables);
    }
  }

  /** Steps applied so far. */
  get stepsApplied(): number {
    return this.counters.applied;
  }

  /** Steps skipped on a non-finite loss or gradient. */
  get stepsSkipped(): number {
    return this.counters.skipped;
  }

  /** Forwards a learning-rate change (a schedule) to the inner optimizer. */
  setLearningRate(lr: number): void {
    setInnerLearningRate(this.inner, lr);
  }

  /** One step on the K losses of `lossesFn` (unweighted). */
  step(lossesFn: LossesFn, options: LossWeightedStepOptions = {}): LossWeightedStepResult {
    this.closeEpochIfNew(options.epoch);
    const xs = trainableVariables(this.variableList);
    if (xs.length === 0) throw new ShapeError('variables', 'at least one trainable tf.Variable', 'none');
    const W = this.normNames === null || !this.method.requires.gradNorms ? [] : this.resolveNormVariables(xs);
    const out: {
      losses: Float64Array; active: boolean[]; lambda: Float64Array | null; coef: Float64Array | null; info: object | null;
      norms: Float64Array | null; reason: SkipReason | null;
    } = { losses: new Float64Array(0), active: [], lambda: null, coef: null, info: null, norms: null, reason: null };
    const engine = tf.engine();
    const { value, grads } = engine.gradients(
      () => {
        const L = checkLosses(lossesFn());
        out.losses = readLosses(L);
        out.active = maskOf(options.active, L.length);
        // The method observes every task, gated or not, so every loss must be finite.
        if (!out.losses.every(Number.isFinite)) return this.stop(out, 'non-finite-loss');
        if (out.active.every((a) => !a)) return this.stop(out, 'no-active-task');
        this.ensureInitialised(L.length);
        const { weights, info } = this.method.lossWeights(Array.from(out.losses));
        out.lambda = Float64Array.from(weights);
        out.info = info;
        out.coef = Float64Array.from(weights, (w, i) => (out.active[i] === true ? w : 0));
        if (this.method.requires.gradNorms) {
          out.norms = untaped(() => gradientNorms(L, W));
          if (!out.norms.every(Number.isFinite)) return this.stop(out, 'non-finite-gradient');
        }
        const coef = out.coef;
        const terms = L.flatMap((loss, i) => (out.active[i] === true ? [tf.mul(loss, tf.scalar(coef[i] as number))] : []));
        return terms.length === 1 ? (terms[0] as tf.Tensor) : tf.addN(terms);
      },
      xs as tf.Variable[],
      undefined,
      true,
    );
    value.dispose();
    const got = holes(grads);
    if (out.reason !== null) {
      tf.dispose(got.filter((t): t is tf.Tensor => t !== undefined));
      return this.skip(out.reason, out);
    }
    const applied = applyFinalGradients(this.inner, xs, this.variableList ?? xs, got, this.clip);
    if (!applied.finite) return this.skip('non-finite-gradient', out);
    this.counters = { ...this.counters, applied: this.counters.applied + 1 };
    const lossesAfter = this.method.requires.lossesAfter ? reevaluate(lossesFn) : null;
    // A diverged re-evaluation cannot teach FAMO anything: the model step stands, the method waits.
    if (lossesAfter === null || lossesAfter.every(Number.isFinite)) {
      this.method.update({
        losses: Array.from(out.losses),
        ...(lossesAfter === null ? {} : { lossesAfter: Array.from(lossesAfter) }),
        ...(out.norms === null ? {} : { gradNorms: Array.from(out.norms) }),
      });
      this.counters = { ...this.counters, updatesThisEpoch: this.counters.updatesThisEpoch + 1 };
    }
    return {
      applied: true, skipped: null, losses: out.losses, lossWeights: out.lambda, weights: out.coef, info: out.info,
      lossesAfter, gradNorms: out.norms, gradNorm: applied.norm, clipScale: applied.clipScale,
      ...activity(out.active),
    };
  }

  /**
   * Closes the method's epoch (DWA's epoch means, GradNorm-LibMTL's first epoch). Called by
   * {@link step} when its `epoch` grows; call it directly when not passing epochs. An epoch
   * without any method update is not closed (DWA has no mean for it).
   */
  endEpoch(): void {
    if (this.K > 0 && this.counters.updatesThisEpoch > 0) this.method.endEpoch();
    this.counters = { ...this.counters, updatesThisEpoch: 0 };
  }

  /** The inner optimizer's state tensors (cloned; the caller disposes them). */
  async getWeights(): Promise<NamedTensor[]> {
    return snapshotInner(this.inner);
  }

  /** Restores {@link getWeights} into a freshly built optimizer. */
  async setWeights(weights: NamedTensor[]): Promise<void> {
    await restoreInner(this.inner, weights);
  }

  /** The method's state and the step counters, JSON-serialisable (float64 values survive JSON exactly). */
  getState(): LossWeightedState {
    return { ...this.counters, K: this.K, method: this.K > 0 ? this.method.getState() : null };
  }

  /** Restores {@link getState}. */
  setState(state: LossWeightedState): void {
    if (typeof state !== 'object' || state === null) throw new InvalidOptionError('state', 'an object from getState()', state);
    const counters = checkStepCounters(state);
    const K = state.K;
    if (!Number.isInteger(K) || K < 0 || (K === 0) !== (state.method === null)) {
      throw new InvalidOptionError('state.K', 'an integer ≥ 1 with a method state, or 0 with `method: null`', K);
    }
    if (state.method !== null) this.method.setState(state.method);
    this.K = K;
    this.counters = counters;
  }

  /** Disposes the inner optimizer's state. */
  dispose(): void {
    this.inner.dispose();
  }

  private ensureInitialised(K: number): void {
    if (this.K === 0) {
      this.method.init(K, this.seed);
      this.K = K;
    } else if (this.K !== K) {
      throw new ShapeError('lossesFn()', `${this.K} losses on every step (the method's state has K = ${this.K})`, `${K}`);
    }
  }

  private closeEpochIfNew(epoch: number | undefined): void {
    if (epoch === undefined) return;
    if (!Number.isInteger(epoch) || epoch < 0) throw new InvalidOptionError('step options.epoch', 'an integer ≥ 0', epoch);
    const last = this.counters.lastEpoch;
    if (last !== null && epoch > last) this.endEpoch();
    this.counters = { ...this.counters, lastEpoch: epoch };
  }

  private stop(out: { reason: SkipReason | null }, reason: SkipReason): tf.Scalar {
    out.reason = reason;
    return tf.scalar(0);
  }

  private skip(reason: SkipReason, out: { losses: Float64Array; active: boolean[]; lambda: Float64Array | null; info: object | null }): LossWeightedStepResult {
    this.counters = { ...this.counters, skipped: this.counters.skipped + 1 };
    return {
      applied: false, skipped: reason, losses: out.losses, lossWeights: out.lambda, weights: null, info: out.info,
      lossesAfter: null, gradNorms: null, gradNorm: null, clipScale: null, ...activity(out.active),
    };
  }

  private resolveNormVariables(xs: readonly tf.Variable[]): tf.Variable[] {
    return (this.normNames ?? []).map((name) => {
      const v = xs.find((x) => x.name === name);
      if (v === undefined) throw new ShapeError(`normVariables ("${name}")`, 'a trainable variable among those being trained', 'no such variable');
      return v;
    });
  }
}

/** ‖∇_W L_i‖ for every task: K backward passes over W on the open forward tape, one read-back. */
function gradientNorms(L: readonly tf.Scalar[], W: readonly tf.Variable[]): Float64Array {
  const engine = tf.engine();
  const squares = L.map((loss) => {
    const { grads } = engine.gradients(() => loss, W as tf.Variable[], undefined, true);
    const present = holes(grads).filter((g): g is tf.Tensor => g !== undefined);
    const sq = present.length === 0 ? tf.scalar(0) : tf.addN(present.map((g) => tf.sum(tf.square(g))));
    const kept = tf.keep(sq);
    tf.dispose(present);
    return kept;
  });
  const stacked = tf.stack(squares);
  const values = stacked.dataSync();
  tf.dispose([stacked, ...squares]);
  return Float64Array.from(values, (s) => Math.sqrt(s));
}

/** The losses of one more forward, taped by nobody (FAMO's L′ on the same batch). */
function reevaluate(lossesFn: LossesFn): Float64Array {
  let values: Float64Array = new Float64Array(0);
  tf.tidy(() => {
    values = readLosses(checkLosses(lossesFn()));
  });
  return values;
}

function activity(active: readonly boolean[]): { activeTasks: number[]; droppedTasks: number[] } {
  return { activeTasks: active.flatMap((a, i) => (a ? [i] : [])), droppedTasks: active.flatMap((a, i) => (a ? [] : [i])) };
}

function resolveScalarizer(method: LossWeightedOptimizerOptions['method']): Scalarizer {
  if (typeof method === 'string') return createScalarizer(method);
  if (typeof method === 'object' && method !== null && 'lossWeights' in method && typeof method.lossWeights === 'function') return method;
  if (typeof method === 'object' && method !== null && typeof (method as MethodConfig).id === 'string') {
    return createScalarizer((method as MethodConfig).id, (method as MethodConfig).options ?? {});
  }
  throw new InvalidOptionError('method', "a scalarizer, its id ('uw', 'famo', ...) or { id, options }", method);
}
