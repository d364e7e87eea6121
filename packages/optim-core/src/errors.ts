/**
 * Error family of `@came-grad/optim-core`. Every error carries a stable `code` and a
 * cross-realm marker so that `CameError.isInstance` works across duplicated package copies
 * (two versions of this package in one dependency tree break `instanceof`).
 */
const MARKER = Symbol.for('came-grad.error');

export type CameErrorCode =
  | 'INVALID_OPTION'
  | 'SHAPE'
  | 'NON_FINITE'
  | 'SOLVER'
  | 'UNKNOWN_ID'
  | 'CONTRACT'
  | 'UNDEFINED_RESULT';

export class CameError extends Error {
  readonly code: CameErrorCode;
  readonly [MARKER] = true;

  constructor(code: CameErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }

  static isInstance(value: unknown): value is CameError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** An option is outside its allowed range. Message: "`option` should be …. Found …". */
export class InvalidOptionError extends CameError {
  readonly option: string;
  readonly value: unknown;
  constructor(option: string, expected: string, value: unknown) {
    super('INVALID_OPTION', `\`${option}\` should be ${expected}. Found ${describe(value)}.`);
    this.option = option;
    this.value = value;
  }
}

/** An input does not have the expected shape (ragged rows, K = 0, wrong ω length, ...). */
export class ShapeError extends CameError {
  readonly expected: string;
  readonly actual: string;
  constructor(what: string, expected: string, actual: string) {
    super('SHAPE', `\`${what}\` should be ${expected}. Found ${actual}.`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** NaN or ±Infinity in a gradient, Gram matrix, weight vector or loss. Never silently sanitised. */
export class NonFiniteError extends CameError {
  readonly what: string;
  readonly index: number | undefined;
  constructor(what: string, index?: number, value?: number) {
    const where = index === undefined ? '' : ` at index ${index}`;
    super('NON_FINITE', `\`${what}\` should be finite${where}. Found ${describe(value)}.`);
    this.what = what;
    this.index = index;
  }
}

/** A solver failed to certify its answer (should not happen for the exact solvers). */
export class SolverError extends CameError {
  readonly iterations: number;
  readonly residual: number;
  constructor(solver: string, iterations: number, residual: number) {
    super('SOLVER', `\`${solver}\` should converge to its certificate tolerance. Found residual ${residual} after ${iterations} iterations.`);
    this.iterations = iterations;
    this.residual = residual;
  }
}

/** A registry id that does not exist. */
export class UnknownIdError extends CameError {
  readonly id: string;
  readonly known: readonly string[];
  constructor(kind: string, id: string, known: readonly string[]) {
    super('UNKNOWN_ID', `\`${kind}\` should be one of ${known.join(', ')}. Found ${JSON.stringify(id)}.`);
    this.id = id;
    this.known = known;
  }
}

/** A caller broke a documented rule of an interface (for example a stateful method used before init). */
export class ContractError extends CameError {
  readonly rule: string;
  constructor(rule: string, message: string) {
    super('CONTRACT', message);
    this.rule = rule;
  }
}

/** The method's result does not exist for this input (Nash-MTL when 0 ∈ conv{g_i}). */
export class UndefinedResultError extends CameError {
  readonly method: string;
  constructor(method: string, reason: string) {
    super('UNDEFINED_RESULT', `\`${method}\` is undefined for this input: ${reason}.`);
    this.method = method;
  }
}

/** Internal assertion: a violated invariant is a bug in this package, not bad input. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`came-grad internal invariant violated: ${message}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
