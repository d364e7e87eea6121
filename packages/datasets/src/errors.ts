/**
 * Error family of `@came-grad/datasets`. Each error has a stable `code` and a cross-realm marker,
 * so `DatasetError.isInstance` works even when two copies of the package share one process.
 *
 * Messages follow the house template "`x` should be …. Found …", and name the file, the entry id
 * and the field at fault wherever those exist.
 */
const MARKER = Symbol.for('came-grad.datasets.error');

/** Stable machine-readable codes of {@link DatasetError}. */
export type DatasetErrorCode = 'ANNOTATION' | 'IMAGE' | 'OPTION' | 'CURSOR';

/** Base class of every error thrown by `@came-grad/datasets`. */
export class DatasetError extends Error {
  /** Stable code; switch on this rather than on the message. */
  readonly code: DatasetErrorCode;
  readonly [MARKER] = true;

  constructor(code: DatasetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** `true` for any error of this family, across package copies. */
  static isInstance(value: unknown): value is DatasetError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** Where a problem in an annotation or image lives. */
export interface EntryLocation {
  /** The annotation file (or image file) at fault. */
  readonly file: string;
  /** The entry's `id` when it has one, otherwise `<split>[<index>]`. */
  readonly entryId?: string;
  /** The field at fault, e.g. `'report'`, `'image_path[1]'`. */
  readonly field?: string;
}

function where(loc: EntryLocation): string {
  const parts = [`in ${loc.file}`];
  if (loc.entryId !== undefined) parts.push(`entry ${loc.entryId}`);
  return parts.join(', ');
}

/** The annotation file is unreadable, is not JSON, or an entry has a missing or malformed field. */
export class AnnotationError extends DatasetError {
  readonly file: string;
  readonly entryId: string | undefined;
  readonly field: string | undefined;

  /**
   * @param loc file, entry and field at fault
   * @param expected phrase completing "should be …"
   * @param found phrase completing "Found …"
   */
  constructor(loc: EntryLocation, expected: string, found: string, options?: { cause?: unknown }) {
    const subject = loc.field === undefined ? 'The annotation' : `\`${loc.field}\``;
    super('ANNOTATION', `${subject} (${where(loc)}) should be ${expected}. Found ${found}.`, options);
    this.file = loc.file;
    this.entryId = loc.entryId;
    this.field = loc.field;
  }
}

/** An image listed by an entry is missing, unreadable or cannot be decoded. */
export class ImageError extends DatasetError {
  readonly file: string;
  readonly entryId: string | undefined;
  readonly field: string | undefined;

  constructor(loc: EntryLocation, found: string, options?: { cause?: unknown }) {
    super(
      'IMAGE',
      `\`${loc.field ?? 'image_path'}\` (${where(loc)}) should name a decodable PNG or JPEG image. Found ${found}.`,
      options,
    );
    this.file = loc.file;
    this.entryId = loc.entryId;
    this.field = loc.field;
  }
}

/** An option is outside its allowed set or range. */
export class DatasetOptionError extends DatasetError {
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, expected: string, value: unknown) {
    super('OPTION', `\`${option}\` should be ${expected}. Found ${describeValue(value)}.`);
    this.option = option;
    this.value = value;
  }
}

/** A resume cursor does not fit the dataset or loader it was given to. */
export class CursorError extends DatasetError {
  readonly field: string;

  constructor(field: string, expected: string, value: unknown) {
    super('CURSOR', `\`cursor.${field}\` should be ${expected}. Found ${describeValue(value)}.`);
    this.field = field;
  }
}

/** A short printable description of an arbitrary value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'string') return value.length > 60 ? `"${value.slice(0, 57)}…"` : `"${value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
