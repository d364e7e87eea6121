import { InvalidOptionError } from '@came-grad/optim-core';

// The checks every backbone configuration repeats, with one wording each, so that the same bad
// value gets the same message from every adapter. Callers keep their own order of checks: the
// first bad option in that order is the one reported.

/** Throws unless `value` is an integer ≥ `min`. */
export function checkInt(name: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new InvalidOptionError(name, `an integer ≥ ${min}`, value);
}

/** {@link checkInt} on each listed key of `config`, in order. */
export function checkInts<K extends string>(config: Readonly<Record<K, unknown>>, keys: readonly K[], min: number): void {
  for (const k of keys) checkInt(k, config[k], min);
}

/** Throws for the first listed key whose value is not a rate in [0, 1) (dropouts). */
export function checkRates<K extends string>(config: Readonly<Record<K, number>>, keys: readonly K[]): void {
  for (const k of keys) if (!(config[k] >= 0 && config[k] < 1)) throw new InvalidOptionError(k, 'a rate in [0, 1)', config[k]);
}

/** Throws for the first listed key whose value is not a finite number ≥ 0 (weights, learning rates). */
export function checkNonNegative<K extends string>(config: Readonly<Record<K, number>>, keys: readonly K[]): void {
  for (const k of keys) if (!(Number.isFinite(config[k]) && config[k] >= 0)) throw new InvalidOptionError(k, 'a finite number ≥ 0', config[k]);
}

/** Throws for the first listed key whose value is not a finite number > 0 (temperatures, floors). */
export function checkPositive<K extends string>(config: Readonly<Record<K, number>>, keys: readonly K[]): void {
  for (const k of keys) if (!(Number.isFinite(config[k]) && config[k] > 0)) throw new InvalidOptionError(k, 'a finite number > 0', config[k]);
}

/** Throws unless `list` is a non-empty array of positive integers (stage widths, block depths). */
export function checkIntList(name: string, list: unknown): void {
  if (!Array.isArray(list) || list.length === 0) throw new InvalidOptionError(name, 'a non-empty list of positive integers', list);
  list.forEach((x, i) => checkInt(`${name}[${i}]`, x, 1));
}

/** Throws unless `vocab` is an array (its words are the tokenizer's business). */
export function checkVocab(vocab: unknown): void {
  if (!Array.isArray(vocab)) throw new InvalidOptionError('vocab', 'an array of words', vocab);
}

/** Throws unless a training sequence can hold BOS and EOS. */
export function checkMaxSeqLength(maxSeqLength: number): void {
  if (maxSeqLength < 2) throw new InvalidOptionError('maxSeqLength', 'at least 2 (BOS and EOS)', maxSeqLength);
}
