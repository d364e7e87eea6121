import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors';
import type { RemoteTaskGradients } from './remote-gradients';
import { untaped } from './untaped';

/**
 * One forward pass of the model that returns the K unweighted scalar task losses
 * (task 0 is report generation by convention; came-grad.md §1).
 */
export type LossesFn = () => readonly tf.Scalar[];

/**
 * How the K per-task backward passes get their forward pass.
 * - `'once'`: one forward; the K backward passes reuse its tape (they run nested inside an outer
 *   tape, the mechanism tfjs uses for higher-order gradients, so the tape is not freed between them).
 *   Random ops in the forward (dropout) are therefore shared by all tasks, as with PyTorch's
 *   `retain_graph=True`.
 * - `'per-task'`: K independent forward+backward passes; lower peak memory (one tape at a time)
 *   but K forwards, and random ops must be seeded per call to see the same mask.
 */
export type ForwardStrategy = 'once' | 'per-task';

/**
 * Decides, once the forward has shown K, which tasks are active at this step (ω_i > 0 in the
 * optimizer-side contract of backbones.md §6). Inactive tasks get no backward pass, and their
 * losses are neither checked for finiteness nor differentiated (a gated loss may be NaN).
 */
export type ActiveTasks = (K: number) => readonly boolean[];

/** Per-task gradients of one step. `grads[v][i]` is ∂L_i/∂xs[v], or `undefined` where L_i does not reach it or task i is inactive. */
export interface TaskGradients {
  /** The K loss values read back from the forward pass (float32 widened to float64). */
  readonly losses: Float64Array;
  /** The active mask used (all true without an {@link ActiveTasks} callback). */
  readonly active: readonly boolean[];
  /** False when an active task's loss is non-finite: then no gradient was kept. */
  readonly finite: boolean;
  /**
   * `null` when a loss is non-finite (no backward pass was kept) or when a `reweigh` callback
   * consumed them; otherwise the caller disposes them.
   */
  readonly grads: (tf.Tensor | undefined)[][] | null;
  /** Only with a `reweigh` callback: ∇(Σ c_i L_i) from one extra backward (came-grad.md §3, consequence 3). */
  readonly combined: (tf.Tensor | undefined)[] | null;
}

/**
 * Called inside the forward's tape once all K gradients exist. It may dispose them (the memory
 * trick) and returns the coefficients c of one extra backward pass of Σ c_i L_i over the active
 * tasks, or `null` for none.
 */
export type Reweigh = (losses: Float64Array, grads: (tf.Tensor | undefined)[][]) => Float64Array | null;

const allActive: ActiveTasks = (K) => new Array<boolean>(K).fill(true);

/**
 * Computes the per-task gradients of `lossesFn` with respect to `xs` for the active tasks. The
 * returned gradient tensors are kept out of every tidy scope: the caller disposes them.
 */
export function taskGradients(
  lossesFn: LossesFn,
  xs: readonly tf.Variable[],
  forward: ForwardStrategy,
  options: { readonly reweigh?: Reweigh; readonly activeOf?: ActiveTasks; readonly remote?: RemoteTaskGradients } = {},
): TaskGradients {
  const activeOf = options.activeOf ?? allActive;
  if (options.remote !== undefined) {
    if (forward !== 'once' || options.reweigh !== undefined) {
      throw new ShapeError('remote task gradients', "forward 'once' with combine 'gradients'", `forward '${forward}'${options.reweigh === undefined ? '' : " with combine 'backward'"}`);
    }
    return withRemote(onceForward(lossesFn, xs, activeOf, undefined, new Set(options.remote.tasks)), options.remote, xs);
  }
  return forward === 'once' ? onceForward(lossesFn, xs, activeOf, options.reweigh) : perTaskForward(lossesFn, xs, activeOf);
}

/**
 * Fills the rows of the remote tasks. The remote side is always drained, also on a skipped step,
 * so that it is free for the next one; gradients of inactive tasks are dropped.
 */
function withRemote(local: TaskGradients, remote: RemoteTaskGradients, xs: readonly tf.Variable[]): TaskGradients {
  const received = remote.collect(xs);
  const K = local.losses.length;
  if (received.length !== remote.tasks.length || received.some((row) => row.length !== xs.length)) {
    disposeBlocks(received);
    if (local.grads !== null) disposeBlocks(local.grads);
    throw new ShapeError('remote task gradients', `${remote.tasks.length} rows of ${xs.length} gradients`, `${received.length} rows`);
  }
  const grads = local.grads;
  remote.tasks.forEach((task, r) => {
    const row = received[r] as (tf.Tensor | undefined)[];
    if (grads === null || task < 0 || task >= K || local.active[task] !== true) {
      tf.dispose(row.filter((t): t is tf.Tensor => t !== undefined));
      return;
    }
    row.forEach((g, v) => {
      if (g !== undefined && !arraysEqual(g.shape, (xs[v] as tf.Variable).shape)) {
        disposeBlocks(received);
        disposeBlocks(grads);
        throw new ShapeError(`remote gradient of task ${task} for "${(xs[v] as tf.Variable).name}"`, `shape [${(xs[v] as tf.Variable).shape.join(', ')}]`, `[${g.shape.join(', ')}]`);
      }
      (grads[v] as (tf.Tensor | undefined)[])[task] = g;
    });
  });
  return local;
}

function arraysEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function onceForward(
  lossesFn: LossesFn, xs: readonly tf.Variable[], activeOf: ActiveTasks, reweigh: Reweigh | undefined, remoteTasks: ReadonlySet<number> = new Set(),
): TaskGradients {
  // Filled inside the tape callback; a holder object keeps TypeScript's narrowing honest.
  const out: {
    losses: Float64Array; active: readonly boolean[]; finite: boolean;
    grads: (tf.Tensor | undefined)[][] | null; coefficients: Float64Array | null;
  } = { losses: new Float64Array(0), active: [], finite: false, grads: null, coefficients: null };
  const engine = tf.engine();
  const outer = engine.gradients(
    () => {
      const L = checkLosses(lossesFn());
      out.losses = readLosses(L);
      out.active = checkActive(activeOf(L.length), L.length);
      out.finite = activeLossesFinite(out.losses, out.active);
      if (!out.finite) return tf.scalar(0);
      const perTask = L.map((loss, i) => {
        if (out.active[i] !== true || remoteTasks.has(i)) return xs.map(() => undefined);
        const { grads: g } = untaped(() => engine.gradients(() => loss, xs as tf.Variable[], undefined, true));
        return g.map((t) => (t === undefined || t === null ? undefined : tf.keep(t)));
      });
      out.grads = transpose(perTask, xs.length);
      if (reweigh === undefined) return tf.scalar(0);
      const grads = out.grads;
      const c = untaped(() => reweigh(out.losses, grads));
      // The per-task gradients are released before the extra backward: that is the memory trick.
      disposeBlocks(out.grads);
      out.grads = null;
      out.coefficients = c;
      if (c === null) return tf.scalar(0);
      const terms = L.flatMap((loss, i) => (out.active[i] === true ? [tf.mul(loss, tf.scalar(c[i] as number))] : []));
      return terms.length === 1 ? (terms[0] as tf.Tensor) : tf.addN(terms);
    },
    xs as tf.Variable[],
    undefined,
    true,
  );
  outer.value.dispose();
  const got = outer.grads.map((t) => (t === undefined || t === null ? undefined : t));
  const base = { losses: out.losses, active: out.active, finite: out.finite, grads: out.grads };
  if (out.coefficients !== null) return { ...base, combined: got };
  tf.dispose(got.filter((t): t is tf.Tensor => t !== undefined));
  return { ...base, combined: null };
}

/** Disposes every tensor of a `[v][i]` gradient table. */
export function disposeBlocks(blocks: readonly (readonly (tf.Tensor | undefined)[])[]): void {
  for (const row of blocks) for (const t of row) t?.dispose();
}

function perTaskForward(lossesFn: LossesFn, xs: readonly tf.Variable[], activeOf: ActiveTasks): TaskGradients {
  const engine = tf.engine();
  let losses: Float64Array = new Float64Array(0);
  let active: readonly boolean[] = [];
  let finite = false;
  let K = 0;
  const perTask = new Map<number, (tf.Tensor | undefined)[]>();
  // The first pass reads every loss and learns K and the active set; it differentiates the first
  // active task. Each further pass re-runs the forward for one more active task.
  let i = -1;
  do {
    const target = i;
    let picked = -1;
    const { value, grads } = engine.gradients(
      () => {
        const L = checkLosses(lossesFn());
        if (target < 0) {
          losses = readLosses(L);
          K = L.length;
          active = checkActive(activeOf(K), K);
          finite = activeLossesFinite(losses, active);
          picked = finite ? active.indexOf(true) : -1;
        } else {
          if (L.length !== K) throw new ShapeError('lossesFn()', `${K} losses on every call`, `${L.length}`);
          picked = target;
        }
        return picked < 0 ? tf.scalar(0) : (L[picked] as tf.Scalar);
      },
      xs as tf.Variable[],
      undefined,
      true,
    );
    value.dispose();
    const kept = grads.map((t) => (t === undefined || t === null ? undefined : t));
    if (picked < 0) {
      tf.dispose(kept.filter((t): t is tf.Tensor => t !== undefined));
      break;
    }
    perTask.set(picked, kept);
    i = active.indexOf(true, picked + 1);
  } while (i >= 0);
  if (!finite) return { losses, active, finite, grads: null, combined: null };
  const rows = Array.from({ length: K }, (_, t) => perTask.get(t) ?? xs.map(() => undefined));
  return { losses, active, finite, grads: transpose(rows, xs.length), combined: null };
}

function checkActive(active: readonly boolean[], K: number): readonly boolean[] {
  if (active.length !== K) throw new ShapeError('active tasks', `${K} flags (one per loss)`, `${active.length}`);
  return active;
}

function activeLossesFinite(losses: Float64Array, active: readonly boolean[]): boolean {
  return active.every((a, i) => !a || Number.isFinite(losses[i]));
}

/** Validates the forward's output: K ≥ 1 float32 scalars. */
export function checkLosses(L: unknown): readonly tf.Scalar[] {
  if (!Array.isArray(L) || L.length === 0) {
    throw new ShapeError('lossesFn()', 'an array of K ≥ 1 scalar loss tensors', Array.isArray(L) ? 'an empty array' : typeof L);
  }
  L.forEach((t: unknown, i) => {
    if (!(t instanceof tf.Tensor)) throw new ShapeError(`lossesFn()[${i}]`, 'a scalar tf.Tensor', typeof t);
    if (t.rank !== 0) throw new ShapeError(`lossesFn()[${i}]`, 'a scalar tensor (rank 0)', `shape [${t.shape.join(', ')}]`);
  });
  return L as tf.Scalar[];
}

/** One read-back of all K loss values. */
export function readLosses(L: readonly tf.Scalar[]): Float64Array {
  const stacked = tf.stack(L as tf.Scalar[]);
  const values = Float64Array.from(stacked.dataSync());
  stacked.dispose();
  return values;
}

function transpose(perTask: (tf.Tensor | undefined)[][], V: number): (tf.Tensor | undefined)[][] {
  const out: (tf.Tensor | undefined)[][] = [];
  for (let v = 0; v < V; v++) out.push(perTask.map((row) => row[v]));
  return out;
}
