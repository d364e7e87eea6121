import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors';

/**
 * Gradient clipping applied to the final per-variable gradients, after combination and before the
 * inner optimizer (came-grad.md §8.3). `{ value: v }` clamps every entry to [−v, v] (PyTorch's
 * `clip_grad_value_`); `{ norm: n }` rescales all gradients together when their global L2 norm
 * exceeds n (`clip_grad_norm_`, without its absolute 1e-6, which would break scale equivariance
 * below the threshold).
 */
export type ClipOption = 'none' | { readonly value: number } | { readonly norm: number };

/** Validates a {@link ClipOption}; `InvalidOptionError` names `clip` and what was expected. */
export function validateClip(clip: unknown): ClipOption {
  if (clip === undefined || clip === 'none') return 'none';
  if (typeof clip === 'object' && clip !== null) {
    const keys = Object.keys(clip);
    const o = clip as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === 'value' && isPositive(o['value'])) return { value: o['value'] as number };
    if (keys.length === 1 && keys[0] === 'norm' && isPositive(o['norm'])) return { norm: o['norm'] as number };
  }
  throw new InvalidOptionError('clip', "'none', { value: v } or { norm: n } with a finite v, n > 0", clip);
}

function isPositive(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

/** The gradients handed to the inner optimizer, with what the guard and the clip measured. */
export interface FinalGradients {
  readonly grads: (tf.Tensor | undefined)[];
  /** False when any entry is NaN or ±Infinity (the step must be skipped). */
  readonly finite: boolean;
  /** Global L2 norm before clipping (float32 per variable, summed in float64). */
  readonly norm: number;
  /** Factor applied by norm clipping (1 when none), or `null` for value clipping and 'none'. */
  readonly clipScale: number | null;
}

/**
 * Checks finiteness of every final gradient (one read-back: Σ(g·0) is NaN exactly when some entry
 * is non-finite, even where Σg² would overflow), measures the global norm, then clips. A caller
 * that already measured both while forming the gradients passes them as `measured` (no probe).
 * Takes ownership of `grads`: replaced tensors are disposed.
 */
export function finalizeGradients(
  grads: (tf.Tensor | undefined)[], clip: ClipOption, measured?: { readonly finite: boolean; readonly norm: number },
): FinalGradients {
  const present = grads.filter((g): g is tf.Tensor => g !== undefined);
  if (present.length === 0) return { grads, finite: true, norm: 0, clipScale: clip === 'none' || 'value' in clip ? null : 1 };
  const { finite, norm } = measured ?? probe(present);
  if (!finite || clip === 'none') return { grads, finite, norm, clipScale: null };
  if ('value' in clip) {
    const bound = clip.value;
    return { grads: replace(grads, (g) => tf.clipByValue(g, -bound, bound)), finite, norm, clipScale: null };
  }
  if (!(norm > clip.norm)) return { grads, finite, norm, clipScale: 1 };
  const scale = clip.norm / norm;
  return { grads: replace(grads, (g) => tf.mul(g, tf.scalar(scale))), finite, norm, clipScale: scale };
}

/** One read-back for all of them: Σ(g·0) per tensor (NaN iff some entry is non-finite) and Σg². */
function probe(present: readonly tf.Tensor[]): { finite: boolean; norm: number } {
  const probed = tf.tidy(() =>
    tf.concat([tf.stack(present.map((g) => tf.sum(tf.mul(g, tf.scalar(0))))), tf.stack(present.map((g) => tf.sum(tf.square(g))))]),
  );
  const values = probed.dataSync();
  probed.dispose();
  let finite = true;
  let sumSq = 0;
  for (let v = 0; v < present.length; v++) {
    if (!Number.isFinite(values[v])) finite = false;
    sumSq += values[present.length + v] as number;
  }
  return { finite, norm: Math.sqrt(sumSq) };
}

function replace(grads: (tf.Tensor | undefined)[], f: (g: tf.Tensor) => tf.Tensor): (tf.Tensor | undefined)[] {
  return grads.map((g) => {
    if (g === undefined) return undefined;
    const out = tf.tidy(() => f(g));
    g.dispose();
    return out;
  });
}
