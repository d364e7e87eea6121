import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors';
import { deviceGram } from './device-gram';
import type { DeviceGram } from './device-gram';
import { checkLosses, disposeBlocks, readLosses } from './jacobian';
import { untaped } from './untaped';
import type { ActiveTasks } from './jacobian';

/**
 * A forward pass split at the shared features z: `encode()` computes z once, `heads(z)` returns
 * the K unweighted scalar task losses computed from z (and from head variables only).
 */
export interface RepresentationLosses {
  /** The shared encoder's forward pass: the features every task head reads. */
  readonly encode: () => tf.Tensor;
  /** The K task heads on the features; must reach the encoder only through `z`. */
  readonly heads: (z: tf.Tensor) => readonly tf.Scalar[];
}

/**
 * Called once the feature gradients ∂L_i/∂z of the active tasks and their K'×K' Gram matrix
 * exist. Returns the K' coefficients f of the upstream gradient Σ_j f_j ∂L_{active[j]}/∂z, or
 * `null` to stop the step.
 */
export type DecideFeatureWeights = (gram: DeviceGram, losses: Float64Array, active: readonly number[]) => Float64Array | null;

/** Everything a representation-level step computed. */
export interface RepresentationGradients {
  readonly losses: Float64Array;
  /** Indices of the active tasks (all of them without an {@link ActiveTasks} callback). */
  readonly active: readonly number[];
  /** False when an active task's loss is non-finite (nothing else was computed). */
  readonly finite: boolean;
  /** `null` when a loss was non-finite or no task was active. */
  readonly gram: DeviceGram | null;
  /** ∂(Σ f_i L_i)/∂x through the encoder, aligned with `xs`; `null` when the step stopped. */
  readonly encoderGrads: (tf.Tensor | undefined)[] | null;
  /** Per-task head gradients `[v][i]` aligned with `xs` (`undefined` for encoder-only variables); `null` when stopped early. */
  readonly headGrads: (tf.Tensor | undefined)[][] | null;
}

/**
 * The representation-level step (MGDA-UB style; Sener & Koltun, NeurIPS 2018, §3.3): one taped
 * forward of encoder and heads, K head-only backward passes that yield ∂L_i/∂z and the head
 * variables' gradients, the K×K Gram of the feature gradients, then ONE encoder backward of the
 * surrogate ⟨stop(Σ f_i ∂L_i/∂z), z⟩, whose gradient is Σ f_i ∂L_i/∂θ_enc by the chain rule.
 *
 * The heads read a detached copy of z, so their backward passes stop at z instead of running
 * through the encoder K times; the combined upstream gradient is detached too, so the encoder
 * backward does not differentiate the head backward passes. Both copies cost one read-back of
 * |z| floats. Returned tensors are owned by the caller.
 */
export function representationGradients(
  input: RepresentationLosses,
  xs: readonly tf.Variable[],
  decide: DecideFeatureWeights,
  activeOf: ActiveTasks = (K) => new Array<boolean>(K).fill(true),
): RepresentationGradients {
  const out: {
    losses: Float64Array;
    active: number[];
    finite: boolean;
    gram: DeviceGram | null;
    heads: (tf.Tensor | undefined)[][] | null;
    stopped: boolean;
  } = { losses: new Float64Array(0), active: [], finite: false, gram: null, heads: null, stopped: true };
  const engine = tf.engine();
  const outer = engine.gradients(
    () => {
      const z = input.encode();
      if (!(z instanceof tf.Tensor) || z.dtype !== 'float32') {
        throw new ShapeError('encode()', 'a float32 tf.Tensor (the shared features)', z instanceof tf.Tensor ? z.dtype : typeof z);
      }
      const zLeaf = detach(z);
      const L = checkLosses(input.heads(zLeaf));
      out.losses = readLosses(L);
      const flags = activeOf(L.length);
      if (flags.length !== L.length) throw new ShapeError('active tasks', `${L.length} flags (one per loss)`, `${flags.length}`);
      out.active = flags.flatMap((a, i) => (a ? [i] : []));
      out.finite = out.active.every((i) => Number.isFinite(out.losses[i]));
      if (!out.finite || out.active.length === 0) return tf.scalar(0);
      const targets = [zLeaf, ...xs] as tf.Tensor[];
      const dz: (tf.Tensor | undefined)[] = [];
      const perTask = L.map((loss, i) => {
        if (flags[i] !== true) return xs.map(() => undefined);
        const { grads } = untaped(() => engine.gradients(() => loss, targets, undefined, true));
        dz.push(grads[0] ?? undefined);
        return grads.slice(1).map((t) => (t === undefined || t === null ? undefined : tf.keep(t)));
      });
      out.heads = xs.map((_, v) => perTask.map((row) => row[v]));
      // The Gram, the decision and the upstream gradient are constants of the encoder backward.
      const upstream = untaped(() => {
        const gram = deviceGram([dz], dz.length);
        out.gram = gram;
        const f = gram.data === null ? null : decide(gram, out.losses, out.active);
        if (f === null) return null;
        out.stopped = false;
        const present = dz.flatMap((g, i) => (g === undefined ? [] : [tf.mul(g, tf.scalar(f[i] as number))]));
        if (present.length === 0) return null;
        return detach(present.length === 1 ? (present[0] as tf.Tensor) : tf.addN(present));
      });
      if (upstream === null) return tf.scalar(0);
      return tf.sum(tf.mul(z, upstream));
    },
    xs as tf.Variable[],
    undefined,
    true,
  );
  outer.value.dispose();
  const encoderGrads = outer.grads.map((t) => (t === undefined || t === null ? undefined : t));
  if (out.stopped) {
    tf.dispose(encoderGrads.filter((t): t is tf.Tensor => t !== undefined));
    if (out.heads !== null) disposeBlocks(out.heads);
    return { losses: out.losses, active: out.active, finite: out.finite, gram: out.gram, encoderGrads: null, headGrads: null };
  }
  return { losses: out.losses, active: out.active, finite: out.finite, gram: out.gram, encoderGrads, headGrads: out.heads };
}

/**
 * A copy of `x` with no tape link to the ops that produced it (tfjs has no public stop-gradient
 * op: any kernel, Identity included, is recorded while a tape is active; creating a tensor from
 * values is not).
 */
function detach(x: tf.Tensor): tf.Tensor {
  return tf.tensor(x.dataSync(), x.shape, 'float32');
}
