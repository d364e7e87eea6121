import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors';

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

/** Per-task gradients of one step. `grads[v][i]` is ∂L_i/∂xs[v], or `undefined` where L_i does not reach it. */
export interface TaskGradients {
  /** The K loss values read back from the forward pass (float32 widened to float64). */
  readonly losses: Float64Array;
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
 * trick) and returns the coefficients c of one extra backward pass of Σ c_i L_i, or `null` for none.
 */
export type Reweigh = (losses: Float64Array, grads: (tf.Tensor | undefined)[][]) => Float64Array | null;

/**
 * Computes the K per-task gradients of `lossesFn` with respect to `xs`. The returned gradient
 * tensors are kept out of every tidy scope: the caller disposes them.
 */
export function taskGradients(
  lossesFn: LossesFn,
  xs: readonly tf.Variable[],
  forward: ForwardStrategy,
  reweigh?: Reweigh,
): TaskGradients {
  return forward === 'once' ? onceForward(lossesFn, xs, reweigh) : perTaskForward(lossesFn, xs);
}

function onceForward(lossesFn: LossesFn, xs: readonly tf.Variable[], reweigh: Reweigh | undefined): TaskGradients {
  // Filled inside the tape callback; a holder object keeps TypeScript's narrowing honest.
  const out: { losses: Float64Array; grads: (tf.Tensor | undefined)[][] | null; coefficients: Float64Array | null } = {
    losses: new Float64Array(0),
    grads: null,
    coefficients: null,
  };
  const engine = tf.engine();
  const outer = engine.gradients(
    () => {
      const L = checkLosses(lossesFn());
      out.losses = readLosses(L);
      if (!out.losses.every(Number.isFinite)) return tf.scalar(0);
      const perTask = L.map((loss) => {
        const { grads: g } = engine.gradients(() => loss, xs as tf.Variable[], undefined, true);
        return g.map((t) => (t === undefined || t === null ? undefined : tf.keep(t)));
      });
      out.grads = transpose(perTask, xs.length);
      if (reweigh === undefined) return tf.scalar(0);
      const c = reweigh(out.losses, out.grads);
      // The per-task gradients are released before the extra backward: that is the memory trick.
      disposeBlocks(out.grads);
      out.grads = null;
      out.coefficients = c;
      if (c === null) return tf.scalar(0);
      return tf.addN(L.map((loss, i) => tf.mul(loss, tf.scalar(c[i] as number))));
    },
    xs as tf.Variable[],
    undefined,
    true,
  );
  outer.value.dispose();
  const got = outer.grads.map((t) => (t === undefined || t === null ? undefined : t));
  if (out.coefficients !== null) return { losses: out.losses, grads: out.grads, combined: got };
  tf.dispose(got.filter((t): t is tf.Tensor => t !== undefined));
  return { losses: out.losses, grads: out.grads, combined: null };
}

/** Disposes every tensor of a `[v][i]` gradient table. */
export function disposeBlocks(blocks: readonly (readonly (tf.Tensor | undefined)[])[]): void {
  for (const row of blocks) for (const t of row) t?.dispose();
}

function perTaskForward(lossesFn: LossesFn, xs: readonly tf.Variable[]): TaskGradients {
  const engine = tf.engine();
  let losses: Float64Array = new Float64Array(0);
  const perTask: (tf.Tensor | undefined)[][] = [];
  let K = 1;
  for (let i = 0; i < K; i++) {
    const { value, grads } = engine.gradients(
      () => {
        const L = checkLosses(lossesFn());
        if (i === 0) {
          losses = readLosses(L);
          K = L.length;
        } else if (L.length !== K) {
          throw new ShapeError('lossesFn()', `${K} losses on every call`, `${L.length}`);
        }
        return L[i] as tf.Scalar;
      },
      xs as tf.Variable[],
      undefined,
      true,
    );
    value.dispose();
    const kept = grads.map((t) => (t === undefined || t === null ? undefined : t));
    if (i === 0 && !losses.every(Number.isFinite)) {
      tf.dispose(kept.filter((t): t is tf.Tensor => t !== undefined));
      return { losses, grads: null, combined: null };
    }
    perTask.push(kept);
  }
  return { losses, grads: transpose(perTask, xs.length), combined: null };
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
