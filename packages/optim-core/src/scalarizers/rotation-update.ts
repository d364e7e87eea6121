/**
 * RotoGrad's rotations R_k ∈ SO(m), trained on the rotation loss of mtl-methods.md §5, in float64.
 * R is parametrised through the exponential map, R = B·expm(X − Xᵀ), with the base B moved to the
 * current rotation after every step (a dynamic trivialization: Lezcano-Casado, "Trivializations
 * for Gradient-Based Optimization on Manifolds", NeurIPS 2019, the parametrisation behind the
 * geotorch rotations of `adrianjav/rotograd`). At X = 0 the exponential's differential is the
 * identity, so ∂L/∂X = G − Gᵀ with G = Bᵀ·∂L/∂R, and no matrix-exponential derivative is needed.
 * X takes one Adam step from 0 (the moments carry over between steps), then B ← B·expm(X′ − X′ᵀ),
 * which stays a rotation to rounding.
 */
import { InvalidOptionError, ShapeError } from '../errors';
import { type ParameterOptimizerState, copyOptimizerState, initialOptimizerState, optimizerStep, restoreOptimizerState } from './parameter-optimizer';

/** One rotation's state: R itself (row-major m×m) and the Adam moments of its m² parameters. */
export interface RotationState {
  readonly rotation: readonly number[];
  readonly optimizer: ParameterOptimizerState;
}

/** The identity rotation with fresh moments. */
export function initialRotationState(m: number): RotationState {
  const rotation = new Array<number>(m * m).fill(0);
  for (let i = 0; i < m; i++) rotation[i * m + i] = 1;
  return { rotation, optimizer: initialOptimizerState(m * m) };
}

/** One Adam step of R on the loss gradient ∂L/∂R (row-major m×m); pure. */
export function rotationStep(state: RotationState, dLdR: ArrayLike<number>, lr: number, m: number): RotationState {
  if (dLdR.length !== m * m || state.rotation.length !== m * m) throw new ShapeError('dLdR', `of length m² = ${m * m}`, `length ${dLdR.length}`);
  const B = state.rotation;
  // G = Bᵀ·∂L/∂R, then the gradient in X of A = X − Xᵀ: G − Gᵀ.
  const G = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += B[k * m + i]! * dLdR[k * m + j]!;
      G[i * m + j] = s;
    }
  }
  const gX = new Array<number>(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) gX[i * m + j] = G[i * m + j]! - G[j * m + i]!;
  const step = optimizerStep('adam', new Array<number>(m * m).fill(0), gX, state.optimizer, lr, 0);
  const A = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) A[i * m + j] = step.params[i * m + j]! - step.params[j * m + i]!;
  return { rotation: Array.from(matMul(B, expm(A, m), m)), optimizer: step.state };
}

/**
 * exp(A) for a small square matrix by scaling and squaring: A/2^s with ‖A/2^s‖₁ ≤ 1/2, a Taylor
 * series to degree 14 (remainder below 0.5¹⁵/15! ≈ 2e-17, under float64 rounding), then s
 * squarings. Deterministic float64.
 */
export function expm(A: ArrayLike<number>, m: number): Float64Array {
  if (A.length !== m * m) throw new ShapeError('A', `of length m² = ${m * m}`, `length ${A.length}`);
  let norm = 0;
  for (let j = 0; j < m; j++) {
    let col = 0;
    for (let i = 0; i < m; i++) col += Math.abs(A[i * m + j]!);
    norm = Math.max(norm, col);
  }
  if (!Number.isFinite(norm)) throw new InvalidOptionError('A', 'a finite matrix', norm);
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = 2 ** -s;
  const As = Float64Array.from(A, (x) => x * scale);
  let result = identity(m);
  let term = identity(m);
  for (let k = 1; k <= 14; k++) {
    term = matMul(term, As, m);
    for (let t = 0; t < term.length; t++) term[t] = term[t]! / k;
    for (let t = 0; t < term.length; t++) result[t] = result[t]! + term[t]!;
  }
  for (let q = 0; q < s; q++) result = matMul(result, result, m);
  return result;
}

/** Validates and copies a saved rotation state. */
export function restoreRotationState(field: string, state: unknown, m: number): RotationState {
  const s = state as Partial<RotationState> | null;
  if (typeof s !== 'object' || s === null) throw new InvalidOptionError(field, 'a rotation state { rotation, optimizer }', state);
  const r = s.rotation;
  if (!Array.isArray(r) || r.length !== m * m || r.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new InvalidOptionError(`${field}.rotation`, `an array of m² = ${m * m} finite numbers`, Array.isArray(r) ? `length ${r.length}` : r);
  }
  return { rotation: [...r], optimizer: restoreOptimizerState(`${field}.optimizer`, s.optimizer, m * m) };
}

/** A deep copy of a rotation state. */
export function copyRotationState(s: RotationState): RotationState {
  return { rotation: [...s.rotation], optimizer: copyOptimizerState(s.optimizer) };
}

function identity(m: number): Float64Array {
  const I = new Float64Array(m * m);
  for (let i = 0; i < m; i++) I[i * m + i] = 1;
  return I;
}

function matMul(X: ArrayLike<number>, Y: ArrayLike<number>, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const x = X[i * m + k]!;
      if (x === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = out[i * m + j]! + x * Y[k * m + j]!;
    }
  }
  return out;
}
