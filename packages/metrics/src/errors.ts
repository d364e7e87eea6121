/**
 * Error family of `@came-grad/metrics`. Every error carries a stable `code` and a cross-realm
 * marker, so `MetricsError.isInstance` still works when two copies of the package end up in one
 * dependency tree (where `instanceof` fails).
 *
 * Messages follow the house template "`x` should be …. Found …".
 */
const MARKER = Symbol.for('came-grad.metrics.error');

/** Stable machine-readable codes of {@link MetricsError}. */
export type MetricsErrorCode = 'INPUT' | 'OPTION' | 'DATA';

/** Base class of every error thrown by `@came-grad/metrics`. */
export class MetricsError extends Error {
  /** Stable code; switch on this rather than on the message. */
  readonly code: MetricsErrorCode;
  readonly [MARKER] = true;

  constructor(code: MetricsErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }

  /** `true` for any error of this family, across package copies. */
  static isInstance(value: unknown): value is MetricsError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/**
 * An input value has the wrong type or shape: a non-string report, hypothesis and reference lists
 * of different lengths, an empty reference list, a label record with an unknown value, …
 *
 * `field` names the argument (`'hyps'`, `'refs[3]'`, `'predLabels'`); `index` is the item index
 * inside it when the problem concerns one item.
 */
export class MetricsInputError extends MetricsError {
  /** The argument or field at fault, e.g. `'refs'`. */
  readonly field: string;
  /** Index of the offending item inside `field`, when there is one. */
  readonly index: number | undefined;
  /** What was expected, as written in the message. */
  readonly expected: string;
  /** What was found, as written in the message. */
  readonly found: string;

  /**
   * @param field argument or field name, e.g. `'hyps'`
   * @param expected phrase completing "should be …", e.g. `'a string'`
   * @param found phrase completing "Found …"; use {@link describeValue} for a raw value
   * @param index item index inside `field`, appended to the name as `field[index]`
   */
  constructor(field: string, expected: string, found: string, index?: number) {
    const where = index === undefined ? field : `${field}[${index}]`;
    super('INPUT', `\`${where}\` should be ${expected}. Found ${found}.`);
    this.field = field;
    this.index = index;
    this.expected = expected;
    this.found = found;
  }
}

/** An option is outside its allowed set or range. */
export class MetricsOptionError extends MetricsError {
  /** Option name, e.g. `'threshold'`. */
  readonly option: string;
  /** The rejected value. */
  readonly value: unknown;

  constructor(option: string, expected: string, value: unknown) {
    super('OPTION', `\`${option}\` should be ${expected}. Found ${describeValue(value)}.`);
    this.option = option;
    this.value = value;
  }
}

/** Shipped or user-supplied data (phrase lists, vocabularies, word lists) is malformed. */
export class MetricsDataError extends MetricsError {
  /** File or data source at fault. */
  readonly source: string;

  constructor(source: string, expected: string, found: string) {
    super('DATA', `\`${source}\` should be ${expected}. Found ${found}.`);
    this.source = source;
  }
}

/** Short, bounded description of any value for error messages: type plus a clipped rendering. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const clipped = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(clipped)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  return `a value of type ${typeof value}`;
}
