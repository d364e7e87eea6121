/**
 * RotoGrad's backend-neutral maths (Javaloy & Valera, "RotoGrad: Gradient Homogenization in
 * Multitask Learning", ICLR 2022, §3–4; mtl-methods.md §5). RotoGrad works on the gradients with
 * respect to the shared representation z of a batch (B×m per task). A tensor binding computes those
 * gradients and trains the rotations; these pure float64 functions give it:
 * - the magnitude step: a_k = ρ_k/Σρ_j with ρ_k = ‖g_k‖/‖g_k(0)‖, C = Σ a_k‖g_k‖, and the backbone
 *   receives Σ_k (C/‖g_k‖)·g_k ({@link rotoGradMagnitude});
 * - the rotation target v = mean_k C·g_k/‖g_k‖ ({@link rotoGradTarget});
 * - the rotation loss Σ_b ‖R_k v_b − g̃_{k,b}‖² and its gradient in R_k ({@link rotationLoss}).
 */
import { ContractError, InvalidOptionError, NonFiniteError, ShapeError } from '../errors';

/** Options of the magnitude step. */
export interface RotoGradOptions {
  /** Iterations after which the initial norms ‖g_k(0)‖ are reset once. Default 20. */
  readonly burnIn?: number;
}

/** Defaults of RotoGrad's magnitude step. */
export const ROTOGRAD_DEFAULTS = Object.freeze({ burnIn: 20 });

/** State of the magnitude step: the reference norms and the iteration counter (JSON-serialisable). */
export interface RotoGradMagnitudeState {
  /** ‖g_k(0)‖, or null before the first call. */
  readonly initialNorms: readonly number[] | null;
  /** Calls made so far. */
  readonly counter: number;
}

/** Output of {@link rotoGradMagnitude}. */
export interface RotoGradMagnitude {
  /** a_k = ρ_k / Σρ_j (all 0 when every ρ is 0). */
  readonly alphas: Float64Array;
  /** The common norm C = Σ_k a_k‖g_k‖. */
  readonly C: number;
  /** c_k = C/‖g_k‖ (0 for a zero gradient): the backbone receives Σ_k c_k g_k. */
  readonly coefficients: Float64Array;
  readonly state: RotoGradMagnitudeState;
}

/** The state before the first step. */
export function initialRotoGradState(): RotoGradMagnitudeState {
  return { initialNorms: null, counter: 0 };
}

/**
 * One magnitude step from the task-gradient norms ‖g_k‖ (over the whole batch). On the first call,
 * and once more when `counter` reaches `burnIn`, the current norms become the reference, so ρ = 1.
 * A task whose reference norm is 0 gets ρ_k = 1 (no convergence information). Pure: returns the
 * next state instead of mutating.
 */
export function rotoGradMagnitude(
  norms: ArrayLike<number>, state: RotoGradMagnitudeState, options: RotoGradOptions = {},
): RotoGradMagnitude {
  const burnIn = options.burnIn ?? ROTOGRAD_DEFAULTS.burnIn;
  if (!Number.isInteger(burnIn) || burnIn < 0) throw new InvalidOptionError('burnIn', 'an integer ≥ 0', burnIn);
  const K = norms.length;
  if (K < 1) throw new ShapeError('norms', 'of length K ≥ 1', 'length 0');
  for (let k = 0; k < K; k++) {
    const n = norms[k]!;
    if (!Number.isFinite(n)) throw new NonFiniteError('norms', k, n);
    if (n < 0) throw new InvalidOptionError(`norms[${k}]`, 'a norm ≥ 0', n);
  }
  if (state.initialNorms !== null && state.initialNorms.length !== K) {
    throw new ContractError('rotograd-state', `\`state.initialNorms\` should have length K = ${K}. Found ${state.initialNorms.length}.`);
  }
  const reset = state.initialNorms === null || state.counter === burnIn;
  const initialNorms = reset ? Array.from(norms) : [...state.initialNorms!];
  const rho = Array.from(norms, (n, k) => (reset || initialNorms[k] === 0 ? 1 : n / initialNorms[k]!));
  const total = rho.reduce((a, b) => a + b, 0);
  const alphas = Float64Array.from(rho, (r) => (total > 0 ? r / total : 0));
  let C = 0;
  for (let k = 0; k < K; k++) C += alphas[k]! * norms[k]!;
  const coefficients = Float64Array.from(norms, (n) => (n > 0 ? C / n : 0));
  return { alphas, C, coefficients, state: { initialNorms, counter: state.counter + 1 } };
}

/**
 * The rotation target v = (1/K) Σ_k c_k g_k with c_k = C/‖g_k‖ (from {@link rotoGradMagnitude}):
 * the mean of the norm-equalised, unrotated task gradients, one B×m row-major array.
 */
export function rotoGradTarget(unrotated: readonly ArrayLike<number>[], coefficients: ArrayLike<number>): Float64Array {
  const K = unrotated.length;
  if (K < 1 || coefficients.length !== K) throw new ShapeError('coefficients', `of length K = ${K} ≥ 1`, `length ${coefficients.length}`);
  const n = unrotated[0]!.length;
  const v = new Float64Array(n);
  unrotated.forEach((g, k) => {
    if (g.length !== n) throw new ShapeError(`unrotated[${k}]`, `of length ${n}`, `length ${g.length}`);
    const c = coefficients[k]! / K;
    for (let t = 0; t < n; t++) v[t] = v[t]! + c * g[t]!;
  });
  return v;
}

/**
 * L(R) = Σ_b ‖R v_b − g̃_b‖² for a rotation R (m×m, row-major) and B×m row-major v and g̃, with
 * ∂L/∂R = 2 Σ_b (R v_b − g̃_b) v_bᵀ: the float64 reference for the tensor binding that trains R_k.
 */
export function rotationLoss(
  R: ArrayLike<number>, v: ArrayLike<number>, gTilde: ArrayLike<number>, m: number,
): { loss: number; gradient: Float64Array } {
  if (R.length !== m * m) throw new ShapeError('R', `of length m² = ${m * m}`, `length ${R.length}`);
  if (v.length % m !== 0 || gTilde.length !== v.length) throw new ShapeError('gTilde', `of length ${v.length} (B·m with m = ${m})`, `length ${gTilde.length}`);
  const B = v.length / m;
  const gradient = new Float64Array(m * m);
  let loss = 0;
  const r = new Float64Array(m);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += R[i * m + j]! * v[b * m + j]!;
      r[i] = s - gTilde[b * m + i]!;
      loss += r[i]! * r[i]!;
    }
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) gradient[i * m + j] = gradient[i * m + j]! + 2 * r[i]! * v[b * m + j]!;
  }
  return { loss, gradient };
}
