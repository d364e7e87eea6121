import { describe, expect, it } from 'vitest';
import { createAggregator } from '../aggregators/registry';
import { NonFiniteError } from '../errors';
import { seededNormal } from '../testing/random-matrix';
import { combine, combineWith } from './combine';
import { gramian, gramianWith } from './gramian';
import { blockLength, createWasmKernel, WASM_MAX_BLOCK } from './wasm-kernel';
import type { KernelCache } from './wasm-kernel';

/** K float32 rows of length D with entries spread over six decades and both signs. */
function rows32(seed: number, K: number, D: number): Float32Array[] {
  const n = seededNormal(seed);
  return Array.from({ length: K }, () => Float32Array.from({ length: D }, () => n() * 10 ** Math.round(3 * n())));
}

const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));

// At least two full blocks and a tail that is not a multiple of 4, so padding and block edges are
// exercised, with K·D above the 64K entries from which an owner's kernel is used.
const sizeFor = (K: number) => Math.max(Math.ceil(65536 / K), 2 * blockLength(K)) + 1001;

describe('WebAssembly kernel', () => {
  it('compiles on Node (WebAssembly SIMD is available)', () => {
    expect(createWasmKernel()).not.toBeNull();
  });

  it('sizes blocks to about 400 KB of row data: 16384 entries for K ≤ 2 down to 2048 for K = 9 … 16', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 16].map(blockLength)).toEqual([16384, 16384, 8192, 8192, 4096, 4096, 2048, 2048]);
  });

  it.each([1, 2, 3, 4, 5, 7, 8, 9, 16])(
    'combination of float32 rows is bitwise equal to the scalar route for K = %i (rows taken 4 per pass)',
    (K) => {
      const D = sizeFor(K);
      const typed = rows32(K * 101, K, D);
      const w = Array.from({ length: K }, (_, i) => (i % 2 === 0 ? 1 : -1) * (0.75 + 0.5 * i));
      const cache: KernelCache = { kernel: undefined };
      const fast = combineWith(typed, w, new Float64Array(D).fill(Number.NaN), cache);
      expect(cache.kernel).toBeTruthy();
      const slow = combine(typed.map((r) => Array.from(r)), w);
      expect(bits(fast)).toEqual(bits(slow));
    },
  );

  it.each([1, 2, 3, 4])('the Gram of float32 rows and of their float64 copies are bitwise equal for K = %i (one sweep)', (K) => {
    const f32 = rows32(K * 3, K, sizeFor(K));
    const cache: KernelCache = { kernel: undefined };
    const g = Array.from(gramianWith(f32, cache).data);
    expect(cache.kernel).toBeTruthy();
    expect(Array.from(gramianWith(f32.map((r) => Float64Array.from(r)), cache).data)).toEqual(g);
  });

  it('float64 and mixed float32/float64 rows give the same bits as all-float32 rows', () => {
    const f32 = rows32(7, 5, sizeFor(5));
    const f64 = f32.map((r) => Float64Array.from(r));
    const mixed = [f32[0]!, f64[1]!, f32[2]!, f64[3]!, f32[4]!];
    const w = [0.3, -1.7, 2.5, 1e-3, -4];
    const cache: KernelCache = { kernel: undefined };
    const ref = bits(combineWith(f32, w, undefined, cache));
    expect(cache.kernel).toBeTruthy();
    expect(bits(combineWith(f64, w, undefined, cache))).toEqual(ref);
    expect(bits(combineWith(mixed, w, undefined, cache))).toEqual(ref);
    const g = Array.from(gramianWith(f32, cache).data);
    expect(Array.from(gramianWith(f64, cache).data)).toEqual(g);
    expect(Array.from(gramianWith(mixed, cache).data)).toEqual(g);
  });

  it('names the row and index of a NaN or ±∞ entry, and the index where the combination overflows', () => {
    const cache: KernelCache = { kernel: undefined };
    const D = sizeFor(3);
    const typed = rows32(11, 3, D);
    typed[1]![WASM_MAX_BLOCK + 17] = Number.POSITIVE_INFINITY;
    expect(() => combineWith(typed, [1, 1, 1], undefined, cache)).toThrow(/`rows\[1\]` should be finite at index 16401/);
    expect(cache.kernel).toBeTruthy();
    const Db = sizeFor(2);
    const big = [Float32Array.from({ length: Db }, () => 1), Float32Array.from({ length: Db }, () => 1)];
    big[0]![Db - 3] = 3e38;
    let err: unknown;
    try {
      combineWith(big, [1e300, 1e300], undefined, cache);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteError);
    expect((err as NonFiniteError).what).toBe('combination (overflow)');
    expect((err as NonFiniteError).index).toBe(Db - 3);
  });

  it('the Gram for K ≤ 4 (one sweep, float32 widened in registers) and odd K > 4 (a zero row completes the 2×2 tiles) matches the scalar route to 1e-13', () => {
    for (const K of [1, 2, 3, 4, 5, 7]) {
      const typed = rows32(K * 13, K, sizeFor(K));
      const wasm = gramianWith(typed, { kernel: undefined }).data;
      const scalar = gramian(typed.map((r) => Array.from(r))).data;
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) {
          const scale = Math.sqrt((scalar[i * K + i] as number) * (scalar[j * K + j] as number));
          expect(Math.abs((wasm[i * K + j] as number) - (scalar[i * K + j] as number))).toBeLessThanOrEqual(1e-13 * scale);
        }
      }
    }
  });

  it('an aggregator combines on its kernel: direction is bitwise Σ weights[i]·rows[i] of the scalar route', () => {
    const typed = rows32(5, 4, sizeFor(4));
    const agg = createAggregator('came-grad', { weights: [1, 2, 3, 4] });
    const { direction, weights } = agg.aggregate(typed);
    expect(bits(direction)).toEqual(bits(combine(typed.map((r) => Array.from(r)), weights)));
  });
});
