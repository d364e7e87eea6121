/**
 * Validation shared by the loss-weighting methods: options at construction, losses and states
 * at the public boundary. Errors name the option or field and what was expected.
 */
import { InvalidOptionError, NonFiniteError, ShapeError, ContractError } from '../errors';

/** Reject option keys the method does not know (a typo would otherwise be silently ignored). */
export function checkKnownKeys(method: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new InvalidOptionError(key, `one of the ${method} options (${known.join(', ')})`, key);
  }
}

/** A finite number, strictly positive when `positive`, otherwise ≥ 0. */
export function checkNonNegative(option: string, value: unknown, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new InvalidOptionError(option, positive ? 'a finite number > 0' : 'a finite number ≥ 0', value);
  }
  return value;
}

/** A vector of K finite numbers (losses, norms, feedback). */
export function checkVector(what: string, values: readonly number[] | undefined, K: number): readonly number[] {
  if (values === undefined) throw new ContractError('feedback', `\`${what}\` should be given for this method. Found undefined.`);
  if (values.length !== K) throw new ShapeError(what, `of length K = ${K}`, `length ${values.length}`);
  for (let i = 0; i < K; i++) {
    const x = values[i]!;
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new NonFiniteError(what, i, x);
  }
  return values;
}

/** Throw unless init() has run. */
export function checkInitialised(method: string, K: number): void {
  if (K < 1) throw new ContractError('init-first', `\`${method}.init(K)\` should be called before use. Found no init.`);
}

/** A task count K ≥ 1. */
export function checkTaskCount(K: unknown): number {
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 1) throw new InvalidOptionError('K', 'an integer ≥ 1', K);
  return K;
}

/** Validate a restored state field: an array of K finite numbers. */
export function checkStateVector(field: string, values: unknown, K: number): number[] {
  if (!Array.isArray(values) || values.length !== K) throw new ShapeError(`state.${field}`, `an array of length K = ${K}`, describeShape(values));
  values.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new NonFiniteError(`state.${field}`, i, x as number);
  });
  return [...(values as number[])];
}

function describeShape(values: unknown): string {
  return Array.isArray(values) ? `length ${values.length}` : typeof values;
}
