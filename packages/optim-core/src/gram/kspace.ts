/**
 * K-space arithmetic on row-major K×K matrices (came-grad.md §3: for x ≅ c and y ≅ d,
 * ⟨x, y⟩ = cᵀMd). Internal to the package.
 */

/** out = M x. */
export function matVec(M: ArrayLike<number>, K: number, x: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += (M[i * K + j] as number) * (x[j] as number);
    out[i] = s;
  }
  return out;
}

/** xᵀ M y (no clamping). */
export function bilinear(M: ArrayLike<number>, K: number, x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < K; i++) {
    let r = 0;
    for (let j = 0; j < K; j++) r += (M[i * K + j] as number) * (y[j] as number);
    s += (x[i] as number) * r;
  }
  return s;
}

/** xᵀ M x, clamped at 0: tiny negative values are rounding on a PSD matrix (came-grad.md §5.2). */
export function quadForm(M: ArrayLike<number>, K: number, x: ArrayLike<number>): number {
  return Math.max(0, bilinear(M, K, x, x));
}

/** Σ x_i y_i. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}
