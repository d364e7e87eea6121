import { NonFiniteError, ShapeError } from '../errors';
import type { GradientRows } from '../types';

/** The validated shape of a set of gradient rows. */
export interface RowShape {
  /** Number of tasks K (rows). */
  readonly K: number;
  /** Row length D. */
  readonly D: number;
}

/**
 * Checks that `rows` is K ≥ 1 array-likes of one common length D ≥ 1. Finiteness is not scanned
 * here: `gramian` detects it for free from the diagonal (a NaN or ±Infinity entry makes M_ii
 * non-finite) and only then calls {@link findNonFinite} to name the entry.
 */
export function checkRowShape(rows: GradientRows, what = 'rows'): RowShape {
  if (!Array.isArray(rows)) {
    throw new ShapeError(what, 'an array of K ≥ 1 gradient rows', describeValue(rows));
  }
  const K = rows.length;
  if (K === 0) throw new ShapeError(what, 'K ≥ 1 gradient rows', '0 rows');
  let D = -1;
  for (let i = 0; i < K; i++) {
    const row: unknown = rows[i];
    if (row === null || typeof row !== 'object' || typeof (row as { length?: unknown }).length !== 'number') {
      throw new ShapeError(`${what}[${i}]`, 'a number[], Float32Array or Float64Array', describeValue(row));
    }
    const len = (row as ArrayLike<number>).length;
    if (i === 0) {
      if (len < 1) throw new ShapeError(`${what}[0]`, 'a row of length D ≥ 1', 'length 0');
      D = len;
    } else if (len !== D) {
      throw new ShapeError(`${what}[${i}]`, `length ${D} (the length of ${what}[0])`, `length ${len}`);
    }
  }
  return { K, D };
}

/**
 * Throws a {@link NonFiniteError} naming the first non-finite entry of `rows`, or, if every entry
 * is finite, the first row whose squared norm overflows float64.
 */
export function throwNonFinite(rows: GradientRows, diag: ArrayLike<number>, what = 'rows'): never {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as ArrayLike<number>;
    const at = findNonFinite(row);
    if (at >= 0) throw new NonFiniteError(`${what}[${i}]`, at, Number(row[at]));
  }
  for (let i = 0; i < diag.length; i++) {
    const v = diag[i] as number;
    if (!Number.isFinite(v)) {
      throw new NonFiniteError(`${what}[${i}] squared norm (overflow while accumulating the Gram matrix)`, undefined, v);
    }
  }
  throw new NonFiniteError(`${what} Gram matrix`, undefined, Number.NaN);
}

/** Index of the first non-finite entry of `row`, or −1. */
export function findNonFinite(row: ArrayLike<number>): number {
  for (let d = 0; d < row.length; d++) {
    const v = row[d];
    if (typeof v !== 'number' || !Number.isFinite(v)) return d;
  }
  return -1;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}
