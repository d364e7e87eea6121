import { describe, expect, it } from 'vitest';
import { CameError, NonFiniteError, ShapeError } from '../errors';
import { randomJacobian } from '../testing/random-matrix';
import { combine } from './combine';
import { gramian, gramianWith } from './gramian';
import { toGramian } from './to-gramian';

function naiveGram(rows: readonly ArrayLike<number>[]): number[][] {
  return rows.map((a) => rows.map((b) => {
    let s = 0;
    for (let d = 0; d < a.length; d++) s += (a[d] as number) * (b[d] as number);
    return s;
  }));
}

describe('gramian', () => {
  it('gives J_base Gram [[18, −22], [−22, 38]] exactly', () => {
    expect(Array.from(gramian([[-4, 1, 1], [6, 1, 1]]).data)).toEqual([18, -22, -22, 38]);
  });

  it.each([1, 2, 3, 4, 5, 7, 8, 11])('matches a naive float64 Gram for K = %i across block boundaries', (K) => {
    for (const D of [1, 5, 1023, 1024, 1025, 3000]) {
      const rows = randomJacobian(K * 1000 + D, K, D);
      const M = gramian(rows);
      const ref = naiveGram(rows);
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) {
          const scale = Math.sqrt((ref[i]?.[i] as number) * (ref[j]?.[j] as number));
          expect(Math.abs((M.data[i * K + j] as number) - (ref[i]?.[j] as number))).toBeLessThanOrEqual(1e-13 * scale);
          expect(M.data[i * K + j]).toBe(M.data[j * K + i]);
        }
      }
    }
  });

  it('accepts Float32Array and Float64Array rows and accumulates float32 products exactly', () => {
    const a = Float32Array.from([0.1, 0.2, 0.3]);
    const b = new Float64Array([1, 2, 3]);
    const M = gramian([a, b]);
    const exact = (a[0] as number) * 1 + (a[1] as number) * 2 + (a[2] as number) * 3;
    expect(M.data[1]).toBe(exact);
  });

  it('rejects K = 0, ragged rows and empty rows with a ShapeError naming the row', () => {
    expect(() => gramian([])).toThrow(ShapeError);
    expect(() => gramian([[1, 2], [3]])).toThrow(/`rows\[1\]` should be length 2/);
    expect(() => gramian([[]])).toThrow(/`rows\[0\]` should be a row of length D ≥ 1/);
    expect(() => gramian([[1], 'x' as unknown as number[]])).toThrow(ShapeError);
  });

  it('rejects NaN, ±Infinity and overflow with a NonFiniteError naming row and index', () => {
    expect(() => gramian([[1, 2], [3, Number.NaN]])).toThrow(/`rows\[1\]` should be finite at index 1/);
    expect(() => gramian([[1, Number.POSITIVE_INFINITY]])).toThrow(NonFiniteError);
    const err = (() => { try { gramian([[1e200, 1], [1, 1]]); } catch (e) { return e; } return null; })();
    expect(CameError.isInstance(err)).toBe(true);
    expect(String(err)).toMatch(/rows\[0\] squared norm \(overflow/);
  });
});

describe('combine', () => {
  it('forms Σ w_i g_i in float64 for every K and block boundary', () => {
    for (const K of [1, 2, 3, 4, 5, 9]) {
      for (const D of [1, 1024, 1500]) {
        const rows = randomJacobian(K + D, K, D).map((r) => Float32Array.from(r));
        const w = Array.from({ length: K }, (_, i) => 0.5 - i * 0.3);
        const out = combine(rows, w);
        for (let d = 0; d < D; d += 97) {
          let ref = 0;
          for (let i = 0; i < K; i++) ref += (w[i] as number) * ((rows[i] as Float32Array)[d] as number);
          expect(out[d]).toBeCloseTo(ref, 12);
        }
      }
    }
  });

  it('rejects a weight vector of the wrong length or with NaN, and non-finite rows', () => {
    expect(() => combine([[1, 2]], [1, 2])).toThrow(/`weights` should be length 1/);
    expect(() => combine([[1, 2]], [Number.NaN])).toThrow(NonFiniteError);
    expect(() => combine([[1, Number.NaN]], [1])).toThrow(/`rows\[0\]` should be finite at index 1/);
  });
});

describe('toGramian', () => {
  it('validates shape, finiteness, diagonal and symmetry', () => {
    expect(Array.from(toGramian([[18, -22], [-22, 38]]).data)).toEqual([18, -22, -22, 38]);
    expect(() => toGramian([])).toThrow(ShapeError);
    expect(() => toGramian([[1, 2]])).toThrow(ShapeError);
    expect(() => toGramian([[1, 0], [0, Number.NaN]])).toThrow(NonFiniteError);
    expect(() => toGramian([[-1, 0], [0, 1]])).toThrow(/`gram\[0\]\[0\]` should be a non-negative squared norm/);
    expect(() => toGramian([[1, 0.5], [0.4, 1]])).toThrow(/`gram\[0\]\[1\]` should be equal to gram\[1\]\[0\]/);
  });

  it('accepts a Matrix and symmetrises within tolerance', () => {
    const g = toGramian({ rows: 2, cols: 2, data: Float64Array.of(2, 1, 1 + 1e-13, 2) });
    expect(g.data[1]).toBe(g.data[2]);
  });
});

describe('combine into a reused buffer', () => {
  it('overwrites stale contents and rejects a wrong length', () => {
    const rows = randomJacobian(5, 3, 2000);
    const fresh = combine(rows, [0.5, -1, 2]);
    const out = new Float64Array(2000).fill(Number.NaN);
    expect(combine(rows, [0.5, -1, 2], out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(fresh));
    expect(() => combine(rows, [1, 1, 1], new Float64Array(3))).toThrow(/`out` should be a Float64Array of length 2000/);
  });
});

describe('gramian: WebAssembly SIMD route (typed-array rows, K ≤ 16, K·D ≥ 65536)', () => {
  it.each([1, 2, 3, 5, 8, 16, 17])('agrees with the scalar route and a naive float64 Gram for K = %i', (K) => {
    // Just above the 64K-entry threshold, with a block remainder that is not a multiple of 4.
    const D = Math.ceil(65537 / K) + 4099;
    const rows = randomJacobian(K * 31, K, D, Math.min(K, 4));
    const typed = rows.map((r) => Float64Array.from(r));
    const cache = { kernel: undefined };
    const wasm = gramianWith(typed, cache);
    if (K <= 16) expect(cache.kernel).not.toBeNull();
    const scalar = gramian(rows);
    const ref = naiveGram(rows);
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        const scale = Math.sqrt((ref[i]?.[i] as number) * (ref[j]?.[j] as number));
        expect(Math.abs((wasm.data[i * K + j] as number) - (ref[i]?.[j] as number))).toBeLessThanOrEqual(1e-13 * scale);
        expect(Math.abs((wasm.data[i * K + j] as number) - (scalar.data[i * K + j] as number))).toBeLessThanOrEqual(1e-13 * scale);
        expect(wasm.data[i * K + j]).toBe(wasm.data[j * K + i]);
      }
    }
  });

  it('gives bitwise equal results for float32 rows and float64 copies, and detects NaN by row and index', () => {
    const f32 = randomJacobian(4, 3, 30000).map((r) => Float32Array.from(r));
    const f64 = f32.map((r) => Float64Array.from(r));
    const cache = { kernel: undefined };
    expect(Array.from(gramianWith(f32, cache).data)).toEqual(Array.from(gramianWith(f64, cache).data));
    f32[2]![12345] = Number.NaN;
    expect(() => gramianWith(f32, cache)).toThrow(/`rows\[2\]` should be finite at index 12345/);
  });
});

describe('combine: typed-array and plain rows, large D', () => {
  it.each([1, 2, 3, 5, 8, 16, 17])('float32 rows and number[] copies agree for K = %i, also into a reused buffer', (K) => {
    const D = Math.ceil(65537 / K) + 1031;
    const rows = randomJacobian(K * 17, K, D, Math.min(K, 4));
    const typed = rows.map((r) => Float32Array.from(r));
    const w = Array.from({ length: K }, (_, i) => 1.5 - 0.4 * i);
    const fast = combine(typed, w);
    const slow = combine(typed.map((r) => Array.from(r)), w);
    for (let d = 0; d < D; d += 7) {
      const scale = w.reduce((s, wi, i) => s + Math.abs(wi * (typed[i]![d] as number)), 0);
      expect(Math.abs((fast[d] as number) - (slow[d] as number))).toBeLessThanOrEqual(1e-15 * Math.max(scale, 1e-300) * K);
    }
    const out = new Float64Array(D).fill(Number.NaN);
    expect(combine(typed, w, out)).toBe(out);
    expect(out.every((v, d) => Object.is(v, fast[d]))).toBe(true);
  });

  it('detects a non-finite entry by row and index', () => {
    const rows = randomJacobian(8, 4, 40000).map((r) => Float64Array.from(r));
    rows[3]![39999] = Number.NEGATIVE_INFINITY;
    expect(() => combine(rows, [1, 1, 1, 1])).toThrow(/`rows\[3\]` should be finite at index 39999/);
  });
});
