import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { rotationLoss } from './rotograd';
import { expm, initialRotationState, restoreRotationState, rotationStep } from './rotation-update';

/** max |RᵀR − I| of a row-major m×m matrix. */
function orthogonalityError(R: ArrayLike<number>, m: number): number {
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += R[k * m + i]! * R[k * m + j]!;
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

describe('RotoGrad rotation update', () => {
  test('expm of a 2×2 generator is the plane rotation by θ (also beyond the scaling threshold)', () => {
    for (const theta of [0, 1e-3, 0.3, 2.5, -7]) {
      const R = expm([0, -theta, theta, 0], 2);
      expect(R[0]).toBeCloseTo(Math.cos(theta), 14);
      expect(R[1]).toBeCloseTo(-Math.sin(theta), 14);
      expect(R[2]).toBeCloseTo(Math.sin(theta), 14);
      expect(R[3]).toBeCloseTo(Math.cos(theta), 14);
    }
    expect(Array.from(expm([0, 0, 0, 0], 2))).toEqual([1, 0, 0, 1]);
  });

  test('the exponential of any skew-symmetric matrix is a rotation (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 36, maxLength: 36 }), (m, x) => {
        const A = new Float64Array(m * m);
        for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) A[i * m + j] = x[i * m + j]! - x[j * m + i]!;
        expect(orthogonalityError(expm(A, m), m)).toBeLessThan(1e-12);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  test('steps keep R a rotation, lower the rotation loss towards a reachable target, and are pure', () => {
    const m = 3;
    // Target g̃_b = R* v_b for a known rotation R*: the loss can reach 0.
    const target = expm([0, -0.4, 0.2, 0.4, 0, -0.3, -0.2, 0.3, 0], m);
    const v = Float64Array.from({ length: 5 * m }, (_, i) => Math.sin(1.7 * i + 0.3));
    const g = new Float64Array(5 * m);
    for (let b = 0; b < 5; b++) for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) g[b * m + i] = g[b * m + i]! + target[i * m + j]! * v[b * m + j]!;
    let state = initialRotationState(m);
    const frozen = JSON.stringify(state);
    const first = rotationLoss(state.rotation, v, g, m).loss;
    const next = rotationStep(state, rotationLoss(state.rotation, v, g, m).gradient, 0.05, m);
    expect(JSON.stringify(state)).toBe(frozen);
    state = next;
    for (let s = 1; s < 200; s++) state = rotationStep(state, rotationLoss(state.rotation, v, g, m).gradient, 0.05, m);
    expect(orthogonalityError(state.rotation, m)).toBeLessThan(1e-12);
    expect(rotationLoss(state.rotation, v, g, m).loss).toBeLessThan(first * 1e-3);
    expect(state.optimizer.t).toBe(200);
    expect(restoreRotationState('s', JSON.parse(JSON.stringify(state)), m)).toEqual(state);
    expect(() => restoreRotationState('s', { rotation: [1], optimizer: state.optimizer }, m)).toThrow(/`s.rotation` should be an array of m² = 9/);
  });
});
