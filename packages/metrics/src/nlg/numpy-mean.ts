/**
 * `np.mean` of a float64 vector, reproducing numpy's pairwise summation (blocks of 128, eight
 * accumulators) so that corpus means agree with pycocoevalcap bit for bit rather than to n·ε.
 */
export function numpyMean(values: readonly number[]): number {
  return pairwiseSum(values, 0, values.length) / values.length;
}

const BLOCK = 128;

function pairwiseSum(a: readonly number[], start: number, n: number): number {
  const at = (i: number): number => a[start + i] as number;
  if (n < 8) {
    // numpy starts from -0.0 so that an all-(-0.0) sum stays -0.0; irrelevant for scores ≥ 0.
    let res = -0;
    for (let i = 0; i < n; i++) res += at(i);
    return res;
  }
  if (n <= BLOCK) {
    const r = [at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k] = (r[k] as number) + at(i + k);
    }
    const [r0, r1, r2, r3, r4, r5, r6, r7] = r as [number, number, number, number, number, number, number, number];
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += at(i);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
