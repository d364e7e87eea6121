/**
 * Small dense solves on principal submatrices M_SS of a K×K row-major matrix, used by the
 * support-enumeration solvers. Internal to `gram/`: callers pass preallocated buffers so that a
 * K ≤ 5 dual solve stays in the microsecond range.
 */

/**
 * Relative pivot tolerance: a principal submatrix whose Cholesky pivot falls below
 * PIVOT_TOL·max diagonal is treated as singular. A pivot bounds the smallest eigenvalue from
 * above, so this is the eigenvalue test of came-grad.md §3.1 (1e-12) applied through the pivots.
 */
export const PIVOT_TOL = 1e-12;

/**
 * Cholesky factor L (lower, n×n, stride n) of M[idx, idx]. Returns false when the submatrix is
 * numerically singular (a pivot ≤ PIVOT_TOL·max diagonal) or not positive definite.
 */
export function choleskySubset(
  M: ArrayLike<number>, K: number, idx: ArrayLike<number>, n: number, L: Float64Array,
): boolean {
  let maxDiag = 0;
  for (let a = 0; a < n; a++) maxDiag = Math.max(maxDiag, M[(idx[a] as number) * (K + 1)] as number);
  if (!(maxDiag > 0)) return false;
  const tol = PIVOT_TOL * maxDiag;
  for (let a = 0; a < n; a++) {
    const ia = (idx[a] as number) * K;
    for (let b = 0; b <= a; b++) {
      let s = M[ia + (idx[b] as number)] as number;
      for (let k = 0; k < b; k++) s -= (L[a * n + k] as number) * (L[b * n + k] as number);
      if (a === b) {
        if (!(s > tol)) return false;
        L[a * n + a] = Math.sqrt(s);
      } else {
        L[a * n + b] = s / (L[b * n + b] as number);
      }
    }
  }
  return true;
}

/** Solves L Lᵀ x = rhs (n entries) into `x`; `rhs` and `x` may be the same buffer. */
export function choleskySolve(L: Float64Array, n: number, rhs: ArrayLike<number>, x: Float64Array): void {
  for (let a = 0; a < n; a++) {
    let s = rhs[a] as number;
    for (let k = 0; k < a; k++) s -= (L[a * n + k] as number) * (x[k] as number);
    x[a] = s / (L[a * n + a] as number);
  }
  for (let a = n - 1; a >= 0; a--) {
    let s = x[a] as number;
    for (let k = a + 1; k < n; k++) s -= (L[k * n + a] as number) * (x[k] as number);
    x[a] = s / (L[a * n + a] as number);
  }
}

/**
 * Solves the bordered (KKT) system of the simplex-constrained minimum norm problem on a face S:
 * M_SS w − t·1 = 0, 1ᵀw = 1. Unlike M_SS itself, the bordered matrix stays nonsingular when the
 * rows g_S are affinely but not linearly independent (0 in their affine hull), which is exactly the
 * case of a zero minimum norm. Gaussian elimination with partial pivoting on (n+1)×(n+1).
 * Writes w into `w` (n entries) and returns t, or NaN when the system is numerically singular.
 */
export function solveBorderedSubset(
  M: ArrayLike<number>, K: number, idx: ArrayLike<number>, n: number, A: Float64Array, w: Float64Array,
): number {
  const m = n + 1;
  let maxDiag = 0;
  for (let a = 0; a < n; a++) maxDiag = Math.max(maxDiag, M[(idx[a] as number) * (K + 1)] as number);
  const scale = Math.max(maxDiag, 1);
  // Augmented matrix [B | rhs], row-major m×(m+1). Unknowns (w_S, t).
  const s = m + 1;
  for (let a = 0; a < n; a++) {
    const ia = (idx[a] as number) * K;
    for (let b = 0; b < n; b++) A[a * s + b] = M[ia + (idx[b] as number)] as number;
    A[a * s + n] = -1;
    A[a * s + m] = 0;
  }
  for (let b = 0; b < n; b++) A[n * s + b] = 1;
  A[n * s + n] = 0;
  A[n * s + m] = 1;
  const tol = PIVOT_TOL * scale;
  for (let col = 0; col < m; col++) {
    let piv = col;
    let best = Math.abs(A[col * s + col] as number);
    for (let r = col + 1; r < m; r++) {
      const v = Math.abs(A[r * s + col] as number);
      if (v > best) { best = v; piv = r; }
    }
    if (!(best > tol)) return Number.NaN;
    if (piv !== col) {
      for (let c = col; c < s; c++) {
        const tmp = A[col * s + c] as number;
        A[col * s + c] = A[piv * s + c] as number;
        A[piv * s + c] = tmp;
      }
    }
    const d = A[col * s + col] as number;
    for (let r = col + 1; r < m; r++) {
      const f = (A[r * s + col] as number) / d;
      if (f === 0) continue;
      for (let c = col; c < s; c++) A[r * s + c] = (A[r * s + c] as number) - f * (A[col * s + c] as number);
    }
  }
  let t = 0;
  for (let r = m - 1; r >= 0; r--) {
    let v = A[r * s + m] as number;
    for (let c = r + 1; c < m; c++) v -= (A[r * s + c] as number) * (c < n ? (w[c] as number) : t);
    v /= A[r * s + r] as number;
    if (r === n) t = v;
    else w[r] = v;
  }
  return t;
}
