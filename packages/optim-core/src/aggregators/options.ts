import { InvalidOptionError, NonFiniteError, ShapeError } from '../errors';
import type { StepContext } from '../types';

/**
 * Option validation shared by every method: each check throws `InvalidOptionError` naming the
 * option ("`rho` should be a finite number ≥ 0. Found -1."). Methods validate once, at creation.
 */

/** Throws unless `options` is undefined or a plain object whose keys are all in `known`. */
export function checkOptionKeys(method: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(`${method} options`, 'an object (or undefined)', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(`${method}.${key}`, `one of the known options ${known.map((k) => `\`${k}\``).join(', ') || '(none)'}`, key);
    }
  }
}

/** A finite number in [min, max] (bounds inclusive unless `open` says otherwise). */
export function checkNumber(
  name: string, value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false } = range;
  const lo = min === -Infinity ? '' : `${minOpen ? '>' : '≥'} ${min}`;
  const hi = max === Infinity ? '' : `${maxOpen ? '<' : '≤'} ${max}`;
  const expected = `a finite number${lo || hi ? ' ' : ''}${[lo, hi].filter(Boolean).join(' and ')}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidOptionError(name, expected, value);
  if (value < min || (minOpen && value === min) || value > max || (maxOpen && value === max)) {
    throw new InvalidOptionError(name, expected, value);
  }
  return value;
}

/** One of a fixed set of literal values. */
export function checkEnum<T extends string | number>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new InvalidOptionError(name, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
  }
  return value as T;
}

/** A boolean. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(name, 'a boolean', value);
  return value;
}

/** A non-empty array of finite numbers ≥ 0 (loss weights ω, preferences); returns a frozen copy. */
export function checkWeightVector(name: string, value: unknown): readonly number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new InvalidOptionError(name, 'an array of finite numbers ≥ 0', value);
  }
  const arr = Array.from(value as ArrayLike<unknown>);
  if (arr.length === 0) throw new InvalidOptionError(name, 'a non-empty array of finite numbers ≥ 0', value);
  arr.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidOptionError(`${name}[${i}]`, 'a finite number ≥ 0', v);
    }
  });
  return Object.freeze(arr as number[]);
}

/**
 * The step's ω: `ctx.taskWeights`, else the method's default, else all ones. Throws `ShapeError`
 * when its length is not K, `NonFiniteError`/`InvalidOptionError` for a non-finite or negative entry.
 */
export function resolveTaskWeights(
  K: number, ctx: StepContext | undefined, fallback: readonly number[] | undefined,
): Float64Array {
  const src = ctx?.taskWeights ?? fallback;
  const what = ctx?.taskWeights !== undefined ? 'ctx.taskWeights' : 'weights';
  if (src === undefined) return new Float64Array(K).fill(1);
  if (src.length !== K) throw new ShapeError(what, `length ${K} (one weight per task)`, `length ${src.length}`);
  const out = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const v = src[i] as number;
    if (!Number.isFinite(v)) throw new NonFiniteError(what, i, v);
    if (v < 0) throw new InvalidOptionError(`${what}[${i}]`, 'a finite number ≥ 0', v);
    out[i] = v;
  }
  return out;
}
