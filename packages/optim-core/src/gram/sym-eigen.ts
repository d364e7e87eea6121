import type { Matrix } from '../types';

/** Eigendecomposition of a symmetric matrix: A = V diag(values) Vᵀ. */
export interface SymEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors as the columns of a row-major K×K matrix, in the order of `values`. */
  readonly vectors: Matrix;
}

/** Sweeps after which Jacobi gives up; quadratic convergence needs about 6–10 for K ≤ 50. */
const MAX_SWEEPS = 100;

/**
 * Symmetric eigendecomposition by cyclic Jacobi rotations (mtl-methods.md §8: deterministic and
 * accurate for the small K×K Gram matrices of IMTL-G's pseudo-inverse and Aligned-MTL). Stops when
 * the off-diagonal mass is ≤ 1e-30 of the total squared Frobenius norm, a relative rule, so that
 * eigenvalues scale exactly with the matrix. Only the upper triangle of `a` is read.
 */
export function symEigen(a: Matrix): SymEigen {
  const K = a.rows;
  const A = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = i; j < K; j++) {
      const v = a.data[i * K + j] as number;
      A[i * K + j] = v;
      A[j * K + i] = v;
    }
  }
  const V = new Float64Array(K * K);
  for (let i = 0; i < K; i++) V[i * K + i] = 1;
  let total = 0;
  for (let t = 0; t < K * K; t++) total += (A[t] as number) * (A[t] as number);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) off += 2 * (A[i * K + j] as number) ** 2;
    if (!(off > 1e-30 * total)) break;
    for (let p = 0; p < K - 1; p++) {
      for (let q = p + 1; q < K; q++) rotate(A, V, K, p, q);
    }
  }
  const order = Array.from({ length: K }, (_, i) => i).sort((x, y) => (A[x * (K + 1)] as number) - (A[y * (K + 1)] as number) || x - y);
  const values = new Float64Array(K);
  const vectors = new Float64Array(K * K);
  order.forEach((src, dst) => {
    values[dst] = A[src * (K + 1)] as number;
    for (let r = 0; r < K; r++) vectors[r * K + dst] = V[r * K + src] as number;
  });
  return { values, vectors: { rows: K, cols: K, data: vectors } };
}

/** One Jacobi rotation zeroing A[p][q] (Golub & Van Loan, Algorithm 8.5.2's stable formulas). */
function rotate(A: Float64Array, V: Float64Array, K: number, p: number, q: number): void {
  const apq = A[p * K + q] as number;
  if (apq === 0) return;
  const app = A[p * K + p] as number, aqq = A[q * K + q] as number;
  const theta = (aqq - app) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < K; k++) {
    const akp = A[k * K + p] as number, akq = A[k * K + q] as number;
    A[k * K + p] = c * akp - s * akq;
    A[k * K + q] = s * akp + c * akq;
  }
  for (let k = 0; k < K; k++) {
    const apk = A[p * K + k] as number, aqk = A[q * K + k] as number;
    A[p * K + k] = c * apk - s * aqk;
    A[q * K + k] = s * apk + c * aqk;
  }
  A[p * K + q] = 0;
  A[q * K + p] = 0;
  for (let k = 0; k < K; k++) {
    const vkp = V[k * K + p] as number, vkq = V[k * K + q] as number;
    V[k * K + p] = c * vkp - s * vkq;
    V[k * K + q] = s * vkp + c * vkq;
  }
}
