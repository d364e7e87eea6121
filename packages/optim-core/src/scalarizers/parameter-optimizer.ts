/**
 * The float64 optimizer that UW, GradNorm and FAMO use for their own few parameters (log-variances,
 * loss weights, logits). It follows `torch.optim.Adam` / `torch.optim.SGD` exactly, including
 * the coupled L2 `weightDecay` that FAMO's reference code passes to Adam.
 */
import { InvalidOptionError } from '../errors';

/** Which update rule: Adam (β = 0.9, 0.999, ε = 1e-8, as torch and tfjs) or plain SGD. */
export type ParameterOptimizerKind = 'adam' | 'sgd';

/** The optimizer's moments, JSON-serialisable. `t` counts the steps taken. */
export interface ParameterOptimizerState {
  readonly t: number;
  readonly m: readonly number[];
  readonly v: readonly number[];
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** Fresh optimizer state for n parameters. */
export function initialOptimizerState(n: number): ParameterOptimizerState {
  return { t: 0, m: new Array<number>(n).fill(0), v: new Array<number>(n).fill(0) };
}

/**
 * One step: returns the new parameters and state (inputs untouched).
 * Adam: g ← grad + wd·p; m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²;
 * p ← p − (lr/(1−β1ᵗ))·m/(√v/√(1−β2ᵗ) + ε), the operation order of torch's single-tensor Adam.
 */
export function optimizerStep(
  kind: ParameterOptimizerKind,
  params: readonly number[],
  grad: readonly number[],
  state: ParameterOptimizerState,
  lr: number,
  weightDecay: number,
): { params: number[]; state: ParameterOptimizerState } {
  const n = params.length;
  const t = state.t + 1;
  const next = new Array<number>(n);
  const m = new Array<number>(n);
  const v = new Array<number>(n);
  const bc1 = 1 - BETA1 ** t;
  const bc2Sqrt = Math.sqrt(1 - BETA2 ** t);
  for (let i = 0; i < n; i++) {
    const p = params[i]!;
    const g = grad[i]! + weightDecay * p;
    if (kind === 'sgd') {
      next[i] = p - lr * g;
      m[i] = 0;
      v[i] = 0;
      continue;
    }
    const mi = BETA1 * state.m[i]! + (1 - BETA1) * g;
    const vi = BETA2 * state.v[i]! + (1 - BETA2) * g * g;
    m[i] = mi;
    v[i] = vi;
    next[i] = p - (lr / bc1) * (mi / (Math.sqrt(vi) / bc2Sqrt + EPS));
  }
  return { params: next, state: { t, m, v } };
}

/** Validate an optimizer kind option. */
export function checkOptimizerKind(option: string, value: unknown): ParameterOptimizerKind {
  if (value !== 'adam' && value !== 'sgd') throw new InvalidOptionError(option, "'adam' or 'sgd'", value);
  return value;
}

/** Validate and deep-copy a saved optimizer state for n parameters. */
export function restoreOptimizerState(field: string, state: unknown, n: number): ParameterOptimizerState {
  const s = state as Partial<ParameterOptimizerState> | null;
  if (typeof s !== 'object' || s === null) throw new InvalidOptionError(field, 'an optimizer state {t, m, v}', state);
  if (typeof s.t !== 'number' || !Number.isInteger(s.t) || s.t < 0) throw new InvalidOptionError(`${field}.t`, 'an integer ≥ 0', s.t);
  const vec = (name: 'm' | 'v'): number[] => {
    const x = s[name];
    if (!Array.isArray(x) || x.length !== n || x.some((e) => typeof e !== 'number' || !Number.isFinite(e))) {
      throw new InvalidOptionError(`${field}.${name}`, `an array of ${n} finite numbers`, x);
    }
    return [...x];
  };
  return { t: s.t, m: vec('m'), v: vec('v') };
}

/** A deep copy of an optimizer state. */
export function copyOptimizerState(s: ParameterOptimizerState): ParameterOptimizerState {
  return { t: s.t, m: [...s.m], v: [...s.v] };
}
