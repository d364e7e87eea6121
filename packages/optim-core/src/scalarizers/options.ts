/**
 * Validation shared by the loss-weighting methods at the public boundary: losses, feedback and
 * restored states (options use the aggregators' checks). Errors name the option or field and what was expected.
 */
import { InvalidOptionError, NonFiniteError, ShapeError, ContractError } from '../errors';

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
