import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '../errors';
import { ROTOGRAD_DEFAULTS, initialRotoGradState, rotationLoss, rotoGradMagnitude, rotoGradTarget } from '../scalarizers/rotograd';
import type { RotoGradMagnitudeState } from '../scalarizers/rotograd';
import { copyRotationState, initialRotationState, restoreRotationState, rotationStep } from '../scalarizers/rotation-update';
import type { RotationState } from '../scalarizers/rotation-update';
import { applyFinalGradients, holes, trainableVariables } from './apply-final';
import { validateClip } from './clip';
import type { ClipOption } from './clip';
import { innerOptimizerOf } from './inner-optimizer';
import { restoreInner, setInnerLearningRate, snapshotInner } from './inner-state';
import type { NamedTensor } from './inner-state';
import { checkLosses, disposeBlocks, readLosses } from './jacobian';
import { checkStepCounters, maskOf } from './method-state';
import type { MethodStepCounters } from './method-state';
import type { SkipReason } from './multi-task-optimizer';
import { rotateRows, unrotateRows } from './rotate-features';
import { untaped } from './untaped';

/**
 * The forward pass split at the shared representation z, with one head call per task: RotoGrad
 * gives each task its own rotated copy R_k z, so task k's loss is computed from that copy alone.
 */
export interface RotoGradLosses {
  /** The shared encoder: z, whose last axis holds the features (d ≥ the rotation size m). */
  readonly encode: () => tf.Tensor;
  /** Task k's unweighted scalar loss from its representation (reaches the encoder only through it). */
  readonly taskLoss: (z: tf.Tensor, task: number) => tf.Scalar;
  /** K, the number of tasks. */
  readonly tasks: number;
}

/** Options of {@link RotoGradOptimizer}. */
export interface RotoGradOptimizerOptions {
  readonly inner: tf.Optimizer;
  /** The variables to train, in a fixed order. Default: every trainable variable of the engine. */
  readonly variables?: readonly tf.Variable[];
  /** Clipping of the final gradient, as in {@link MultiTaskOptimizer}. Default `'none'`. */
  readonly clip?: ClipOption;
  /** Iterations after which the initial gradient norms are reset once. Default 20 (mtl-methods.md §2). */
  readonly burnIn?: number;
  /** Adam learning rate of the rotations (their own optimizer). Default 1e-3. */
  readonly rotationLr?: number;
  /** m: the rotated leading features of z. Default: all of them (m = d). */
  readonly rotationSize?: number;
}

/** Defaults of {@link RotoGradOptimizer}. `rotationSize: undefined` means m = d. */
export const ROTOGRAD_OPTIMIZER_DEFAULTS = Object.freeze({ burnIn: ROTOGRAD_DEFAULTS.burnIn, rotationLr: 1e-3, rotationSize: undefined });

/** What one {@link RotoGradOptimizer.step} did. */
export interface RotoGradStepResult {
  readonly applied: boolean;
  readonly skipped: SkipReason | null;
  readonly losses: Float64Array;
  /** c_k = C/‖g_k‖: the encoder receives Σ c_k g_k (gated tasks: 0). `null` when skipped early. */
  readonly weights: Float64Array | null;
  /** a_k (relative convergence) and C of the magnitude step. */
  readonly alphas: Float64Array | null;
  readonly C: number | null;
  /** ‖g_k‖ of the unrotated representation gradients. */
  readonly featureNorms: Float64Array | null;
  /** Σ_k of the rotation losses Σ_b ‖R_k v_b − g̃_{k,b}‖² before the rotation step. */
  readonly rotationLoss: number | null;
  readonly gradNorm: number | null;
  readonly clipScale: number | null;
  readonly activeTasks: readonly number[];
  readonly droppedTasks: readonly number[];
}

/** The JSON state of a {@link RotoGradOptimizer} besides its inner optimizer's tensors. */
export interface RotoGradState extends MethodStepCounters {
  /** m, 0 before the first step. */
  readonly m: number;
  readonly magnitude: RotoGradMagnitudeState;
  readonly rotations: readonly RotationState[];
}

/**
 * RotoGrad (Javaloy & Valera, ICLR 2022; mtl-methods.md §5) on a representation split. One step:
 * one taped encoder forward; for each task k, its rotated copy y_k = R_k z (leading m features,
 * row-wise), a head forward and a backward to y_k and the variables (nested on the same tape);
 * g̃_k = ∂L_k/∂y_k and the unrotated g_k = R_kᵀ g̃_k; the magnitude step gives c_k = C/‖g_k‖;
 * ONE encoder backward of ⟨z, stop(Σ c_k g_k)⟩; heads get their own task's plain gradient Σ_k ∂L_k/∂θ;
 * the guard, clipping and one inner update; then each R_k takes one Adam step (its own optimizer)
 * on Σ_b ‖R_k v_b − g̃_{k,b}‖², v = mean_k c_k g_k. Norms are over the whole batch's gradient.
 * A skipped step changes neither the model, the rotations nor the magnitude state.
 */
export class RotoGradOptimizer {
  readonly inner: tf.Optimizer;
  private readonly variableList: readonly tf.Variable[] | null;
  private readonly clip: ClipOption;
  private readonly burnIn: number;
  private readonly rotationLr: number;
  private readonly rotationSize: number | undefined;
  private m = 0;
  private magnitude: RotoGradMagnitudeState = initialRotoGradState();
  private rotations: RotationState[] = [];
  private counters: MethodStepCounters = { applied: 0, skipped: 0, lastEpoch: null, updatesThisEpoch: 0 };

  constructor(options: RotoGradOptimizerOptions) {
    this.inner = innerOptimizerOf(options);
    this.variableList = options.variables === undefined ? null : [...options.variables];
    this.clip = validateClip(options.clip);
    this.burnIn = options.burnIn ?? ROTOGRAD_OPTIMIZER_DEFAULTS.burnIn;
    if (!Number.isInteger(this.burnIn) || this.burnIn < 0) throw new InvalidOptionError('burnIn', 'an integer ≥ 0', this.burnIn);
    this.rotationLr = options.rotationLr ?? ROTOGRAD_OPTIMIZER_DEFAULTS.rotationLr;
    if (!(typeof this.rotationLr === 'number' && this.rotationLr > 0 && Number.isFinite(this.rotationLr))) {
      throw new InvalidOptionError('rotationLr', 'a finite number > 0', this.rotationLr);
    }
    this.rotationSize = options.rotationSize;
    if (this.rotationSize !== undefined && !(Number.isInteger(this.rotationSize) && this.rotationSize >= 1)) {
      throw new InvalidOptionError('rotationSize', 'an integer ≥ 1', this.rotationSize);
    }
  }

  get stepsApplied(): number {
    return this.counters.applied;
  }

  get stepsSkipped(): number {
    return this.counters.skipped;
  }

  /** The current rotations R_k (row-major m×m float64 copies). */
  get rotationMatrices(): Float64Array[] {
    return this.rotations.map((r) => Float64Array.from(r.rotation));
  }

  setLearningRate(lr: number): void {
    setInnerLearningRate(this.inner, lr);
  }

  /** One RotoGrad step; `active` gates tasks (observed, not trained), as in the loss-weighted step. */
  step(input: RotoGradLosses, options: { readonly active?: readonly boolean[]; readonly epoch?: number } = {}): RotoGradStepResult {
    if (typeof input !== 'object' || input === null || typeof input.encode !== 'function' || typeof input.taskLoss !== 'function') {
      throw new InvalidOptionError('losses', '{ encode, taskLoss, tasks }', input);
    }
    const K = input.tasks;
    if (!Number.isInteger(K) || K < 1) throw new InvalidOptionError('losses.tasks', 'an integer ≥ 1', K);
    if (this.rotations.length > 0 && this.rotations.length !== K) throw new ShapeError('losses.tasks', `${this.rotations.length} (the rotations' K)`, `${K}`);
    if (options.epoch !== undefined) this.counters = { ...this.counters, lastEpoch: options.epoch };
    const active = maskOf(options.active, K);
    const xs = trainableVariables(this.variableList);
    if (xs.length === 0) throw new ShapeError('variables', 'at least one trainable tf.Variable', 'none');
    const engine = tf.engine();
    const out: {
      losses: Float64Array; reason: SkipReason | null; heads: (tf.Tensor | undefined)[][] | null; c: Float64Array | null;
      magnitude: ReturnType<typeof rotoGradMagnitude> | null; norms: Float64Array | null; dR: Float64Array[]; rotLoss: number;
    } = { losses: new Float64Array(0), reason: null, heads: null, c: null, magnitude: null, norms: null, dR: [], rotLoss: 0 };
    const outer = engine.gradients(
      () => {
        const z = input.encode();
        if (!(z instanceof tf.Tensor) || z.dtype !== 'float32' || z.rank < 2) {
          throw new ShapeError('encode()', 'a float32 tf.Tensor with a feature axis last', z instanceof tf.Tensor ? `${z.dtype} of rank ${z.rank}` : typeof z);
        }
        const d = z.shape[z.rank - 1] as number;
        const m = this.ensureRotations(K, d);
        const zRows = detach(z, [z.size / d, d]);
        const gTilde: tf.Tensor[] = [];
        const L: tf.Scalar[] = [];
        const perTask: (tf.Tensor | undefined)[][] = [];
        try {
          for (let k = 0; k < K; k++) {
            const R = this.rotations[k]!.rotation;
            const y = untaped(() => tf.tidy(() => rotateRows(zRows, R, m)));
            const yLeaf = detach(y, z.shape);
            y.dispose();
            const loss = checkLosses([input.taskLoss(yLeaf, k)])[0] as tf.Scalar;
            L.push(loss);
            const { grads } = untaped(() => engine.gradients(() => loss, [yLeaf, ...xs] as tf.Tensor[], undefined, true));
            const g = holes(grads);
            gTilde.push(g[0] === undefined ? tf.keep(tf.zerosLike(yLeaf)) : tf.keep(g[0]));
            perTask.push(g.slice(1).map((t) => (t === undefined ? undefined : tf.keep(t))));
          }
          out.heads = xs.map((_, v) => perTask.map((row) => row[v]));
          out.losses = readLosses(L);
          if (!out.losses.every(Number.isFinite)) return stop(out, 'non-finite-loss');
          if (active.every((a) => !a)) return stop(out, 'no-active-task');
          const upstream = untaped(() => this.upstream(z.shape, d, m, gTilde, active, out));
          if (upstream === null) return stop(out, 'non-finite-gradient');
          return tf.sum(tf.mul(z, upstream));
        } finally {
          tf.dispose([zRows, ...gTilde]);
        }
      },
      xs as tf.Variable[],
      undefined,
      true,
    );
    outer.value.dispose();
    const encoderGrads = holes(outer.grads);
    const heads = out.heads;
    if (out.reason !== null || heads === null) {
      tf.dispose(encoderGrads.filter((t): t is tf.Tensor => t !== undefined));
      if (heads !== null) disposeBlocks(heads);
      return this.skip(out.reason ?? 'non-finite-gradient', out.losses, active);
    }
    const final = heads.map((row, v) => {
      const parts = [...row.filter((t, k): t is tf.Tensor => t !== undefined && active[k] === true)];
      const e = encoderGrads[v];
      if (e !== undefined) parts.push(e);
      const sum = parts.length === 0 ? undefined : parts.length === 1 ? tf.clone(parts[0] as tf.Tensor) : tf.addN(parts);
      return sum;
    });
    disposeBlocks(heads);
    tf.dispose(encoderGrads.filter((t): t is tf.Tensor => t !== undefined));
    const applied = applyFinalGradients(this.inner, xs, this.variableList ?? xs, final, this.clip);
    if (!applied.finite) return this.skip('non-finite-gradient', out.losses, active);
    this.magnitude = out.magnitude!.state;
    this.rotations = this.rotations.map((r, k) => rotationStep(r, out.dR[k]!, this.rotationLr, this.m));
    this.counters = { ...this.counters, applied: this.counters.applied + 1 };
    return {
      applied: true, skipped: null, losses: out.losses, weights: out.c, alphas: out.magnitude!.alphas, C: out.magnitude!.C,
      featureNorms: out.norms, rotationLoss: out.rotLoss, gradNorm: applied.norm, clipScale: applied.clipScale, ...activity(active),
    };
  }

  /** The inner optimizer's state tensors (cloned; the caller disposes them). */
  async getWeights(): Promise<NamedTensor[]> {
    return snapshotInner(this.inner);
  }

  async setWeights(weights: NamedTensor[]): Promise<void> {
    await restoreInner(this.inner, weights);
  }

  /** Rotations, their Adam moments, the magnitude state and the counters; JSON-serialisable. */
  getState(): RotoGradState {
    const { initialNorms, counter } = this.magnitude;
    return {
      ...this.counters, m: this.m, magnitude: { initialNorms: initialNorms === null ? null : [...initialNorms], counter },
      rotations: this.rotations.map(copyRotationState),
    };
  }

  setState(state: RotoGradState): void {
    if (typeof state !== 'object' || state === null) throw new InvalidOptionError('state', 'an object from getState()', state);
    const counters = checkStepCounters(state);
    const m = state.m;
    if (!Number.isInteger(m) || m < 0) throw new InvalidOptionError('state.m', 'an integer ≥ 0', m);
    if (!Array.isArray(state.rotations) || (m === 0) !== (state.rotations.length === 0)) {
      throw new InvalidOptionError('state.rotations', 'one rotation per task (none when m = 0)', state.rotations);
    }
    const rotations = state.rotations.map((r, k) => restoreRotationState(`state.rotations[${k}]`, r, m));
    const mag = state.magnitude as RotoGradMagnitudeState | undefined;
    if (typeof mag !== 'object' || mag === null || !Number.isInteger(mag.counter) || mag.counter < 0) {
      throw new InvalidOptionError('state.magnitude', '{ initialNorms, counter }', mag);
    }
    const norms = mag.initialNorms;
    if (norms !== null && (!Array.isArray(norms) || norms.length !== rotations.length || norms.some((x) => typeof x !== 'number' || !Number.isFinite(x)))) {
      throw new InvalidOptionError('state.magnitude.initialNorms', `null or ${rotations.length} finite numbers`, norms);
    }
    this.m = m;
    this.rotations = rotations;
    this.magnitude = { initialNorms: norms === null ? null : [...norms], counter: mag.counter };
    this.counters = counters;
  }

  dispose(): void {
    this.inner.dispose();
  }

  /**
   * Everything between the task backward passes and the encoder backward (run untaped): g_k, the
   * magnitude step, the rotation-loss gradients, and the detached upstream Σ_active c_k g_k of the
   * encoder's surrogate ⟨z, upstream⟩ (`null` for a non-finite gradient).
   */
  private upstream(shape: readonly number[], d: number, m: number, gTilde: readonly tf.Tensor[], active: readonly boolean[], out: {
    c: Float64Array | null; magnitude: ReturnType<typeof rotoGradMagnitude> | null;
    norms: Float64Array | null; dR: Float64Array[]; rotLoss: number;
  }): tf.Tensor | null {
    const tildeRows = gTilde.map((g) => tf.reshape(g, [g.size / d, d]));
    const unrotated = tildeRows.map((g, k) => tf.tidy(() => unrotateRows(g, this.rotations[k]!.rotation, m)));
    try {
      const tildeValues = tildeRows.map((g) => g.dataSync() as Float32Array);
      const values = unrotated.map((g) => g.dataSync() as Float32Array);
      const norms = Float64Array.from(values, (g) => Math.sqrt(g.reduce((s, x) => s + x * x, 0)));
      if (!norms.every(Number.isFinite)) return null;
      const magnitude = rotoGradMagnitude(norms, this.magnitude, { burnIn: this.burnIn });
      const c = Float64Array.from(magnitude.coefficients, (ck, k) => (active[k] === true ? ck : 0));
      out.norms = norms;
      out.magnitude = magnitude;
      out.c = c;
      const v = rotoGradTarget(values, magnitude.coefficients);
      const vm = leading(v, d, m);
      out.dR = tildeValues.map((g, k) => {
        const r = rotationLoss(this.rotations[k]!.rotation, vm, leading(g, d, m), m);
        out.rotLoss += r.loss;
        return r.gradient;
      });
      const upstream = tf.tidy(() => tf.addN(unrotated.map((g, k) => tf.mul(g, tf.scalar(c[k] as number)))));
      const constant = detach(upstream, shape);
      upstream.dispose();
      return constant;
    } finally {
      tf.dispose([...tildeRows, ...unrotated]);
    }
  }

  private ensureRotations(K: number, d: number): number {
    if (this.m > 0) {
      if (this.m > d) throw new ShapeError('encode()', `a feature axis of size ≥ ${this.m} (the rotation size)`, `${d}`);
      return this.m;
    }
    const m = this.rotationSize ?? d;
    if (m > d) throw new InvalidOptionError('rotationSize', `at most the feature size d = ${d}`, m);
    this.m = m;
    this.rotations = Array.from({ length: K }, () => initialRotationState(m));
    return m;
  }

  private skip(reason: SkipReason, losses: Float64Array, active: readonly boolean[]): RotoGradStepResult {
    this.counters = { ...this.counters, skipped: this.counters.skipped + 1 };
    return {
      applied: false, skipped: reason, losses, weights: null, alphas: null, C: null, featureNorms: null, rotationLoss: null,
      gradNorm: null, clipScale: null, ...activity(active),
    };
  }
}

function stop(out: { reason: SkipReason | null }, reason: SkipReason): tf.Scalar {
  out.reason = reason;
  return tf.scalar(0);
}

/** The leading m of every d-long row (the same array when m = d). */
function leading(rows: ArrayLike<number>, d: number, m: number): Float64Array {
  if (m === d) return Float64Array.from(rows);
  const n = rows.length / d;
  const out = new Float64Array(n * m);
  for (let b = 0; b < n; b++) for (let j = 0; j < m; j++) out[b * m + j] = rows[b * d + j]!;
  return out;
}

/** A copy with no tape link, reshaped (see representation.ts: tfjs has no public stop-gradient). */
function detach(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  return tf.tensor(x.dataSync(), [...shape], 'float32');
}

function activity(active: readonly boolean[]): { activeTasks: number[]; droppedTasks: number[] } {
  return { activeTasks: active.flatMap((a, i) => (a ? [i] : [])), droppedTasks: active.flatMap((a, i) => (a ? [] : [i])) };
}
