/**
 * Tokens that would repeat a trigram of `prefix`: every `w` such that `(y_{n−1}, y_n, w)` already
 * occurs as `(y_i, y_{i+1}, y_{i+2})` in the prefix. Empty for prefixes shorter than 3.
 */
export function blockedByTrigram(prefix: readonly number[]): Set<number> {
  const blocked = new Set<number>();
  const n = prefix.length;
  if (n < 3) return blocked;
  const a = prefix[n - 2];
  const b = prefix[n - 1];
  for (let i = 0; i + 2 < n; i++) {
    if (prefix[i] === a && prefix[i + 1] === b) blocked.add(prefix[i + 2] as number);
  }
  return blocked;
}
