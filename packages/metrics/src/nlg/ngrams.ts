/**
 * n-gram counting shared by BLEU and CIDEr-D, as pycocoevalcap's `precook`: orders 1 … n, each
 * order in left-to-right order of first occurrence. Keys join tokens with U+0000, which no token
 * produced by a whitespace split can contain... except a token that itself contains U+0000, so
 * the key also carries the order to keep different orders apart.
 *
 * Insertion order matters: CIDEr-D sums floating-point terms in this order, as Python's dict does.
 */
export function countNgrams(words: readonly string[], maxN: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let k = 1; k <= maxN; k++) {
    for (let i = 0; i + k <= words.length; i++) {
      const key = ngramKey(words, i, k);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

function ngramKey(words: readonly string[], start: number, k: number): string {
  let key = `${k}`;
  for (let j = start; j < start + k; j++) key += `\u0000${words[j] as string}`;
  return key;
}

/** Order (1-based) of an n-gram key made by {@link countNgrams}. */
export function ngramOrder(key: string): number {
  return Number.parseInt(key, 10);
}
