import { expect } from 'vitest';
import { EQUIVARIANCE_SCALES, POWER_OF_TWO_SCALES } from '../testing/arbitraries';
import type { AggregatorUnderTest } from '../testing/asserts';
import {
  assertDeterministicAndPure, assertFiniteStructure, assertNonConflicting, assertPermutationEquivariant,
  assertScaleEquivariant, assertWeightsBitwiseInvariant, maxRowNorm, norm,
} from '../testing/asserts';

/**
 * Test fixture: the properties the projection-type weightings (DualProj, UPGrad, MMPareto) share,
 * on one Jacobian: P1 (finite structure), P2 (permutation `perm(K)`, 1e-8), P3 (scales 1e-8,
 * bitwise weights for powers of two), P4 and P8 (deterministic and pure). P4 is skipped when
 * the direction is only rounding (≈ 1e-16·Σ|w_i|‖g_i‖, e.g. conflicting D = 1 rows): its
 * relative bound is meaningless there.
 */
export function assertProjectionProperties(agg: AggregatorUnderTest, rows: readonly ArrayLike<number>[], perm: (K: number) => number[]): void {
  assertFiniteStructure(agg, rows);
  assertPermutationEquivariant(agg, rows, perm(rows.length), { tol: 1e-8 });
  for (const s of EQUIVARIANCE_SCALES) assertScaleEquivariant(agg, rows, s, { tol: 1e-8 });
  for (const s of POWER_OF_TWO_SCALES) assertWeightsBitwiseInvariant(agg, rows, s);
  if (norm(agg.aggregate(rows).direction) > 1e-10 * maxRowNorm(rows)) assertNonConflicting(agg, rows);
  assertDeterministicAndPure(agg, rows);
}

/** Test fixture: float32 rows (the tfjs path) give the float64 rows' direction to 1e-5 relative, on a fixed 3×3 case. */
export function expectFloat32AgreesWithFloat64(agg: AggregatorUnderTest): void {
  const rows = [[-0.4, 0.1, 0.3], [0.6, 0.1, 0.1], [0.05, -0.7, 0.2]];
  const d64 = agg.aggregate(rows).direction;
  const d32 = agg.aggregate(rows.map((r) => Float32Array.from(r))).direction;
  const ref = Math.max(...Array.from(d64, Math.abs));
  d64.forEach((v, d) => expect(Math.abs(d32[d]! - v)).toBeLessThanOrEqual(1e-5 * ref));
}
