import { F64, I32, V128, op, wasmModule, whileNot } from './wasm-bytes';
import type { Code, WasmFunction } from './wasm-bytes';

/**
 * WebAssembly SIMD kernel for the two D-space passes of an aggregation: the Gram matrix of typed-array
 * rows and the combination Σ wᵢgᵢ. JavaScript has neither SIMD nor enough registers for a tiled loop, so
 * both passes run here on f64x2 lanes over cache-sized blocks. Rows live in JavaScript memory, which
 * WebAssembly cannot read, so each block of every row is first copied in with a same-type `set` (a
 * memcpy; a widening float32 → float64 `set` costs three times as much). Blocks stay in L2: the rows
 * cross the memory bus once per pass. Compiled per owner, so there is no module-level state.
 */

/** Largest number of entries per row in a block (the row stride of the kernel's memory). */
export const WASM_MAX_BLOCK = 16384;
/** Largest K the kernel's memory layout holds. */
export const WASM_MAX_K = 16;

const F32_ROW = WASM_MAX_BLOCK * 4;
const F64_ROW = WASM_MAX_BLOCK * 8;
const F32_BASE = 0;
const F64_BASE = F32_BASE + WASM_MAX_K * F32_ROW;
const OUT_BASE = F64_BASE + WASM_MAX_K * F64_ROW;
const W_BASE = OUT_BASE + F64_ROW;
const GRAM_BASE = W_BASE + WASM_MAX_K * 8;
const END = GRAM_BASE + WASM_MAX_K * WASM_MAX_K * 8;
const ROW32_SHIFT = Math.log2(F32_ROW);
const ROW64_SHIFT = Math.log2(F64_ROW);
/**
 * Entries per row in a block for K rows: a power of two near 32768/K, so that the float32 and float64
 * row blocks (at most 12 bytes an entry) take at most about 400 KB, inside a 512 KiB L2. Measured at D = 1e7: K = 2 runs
 * 1.2–1.3× faster with 16384 entries than with 4096 (fewer calls and longer copies), K = 8 slower with 8192.
 */
export function blockLength(K: number): number {
  return Math.max(1024, Math.min(WASM_MAX_BLOCK, 2 ** Math.floor(Math.log2(32768 / K))));
}

/** Rows combined per pass over the output block: their weights and five working vectors stay in registers. */
const ROWS_PER_PASS = 4;

/** A typed row the kernel can copy in. */
export type TypedRow = Float32Array | Float64Array;

/** The instantiated kernel over one memory. */
export interface WasmKernel {
  /** Writes the upper triangle of rows·rowsᵀ (row-major K×K, float64 sums) into `out`. */
  gram(rows: readonly TypedRow[], D: number, out: Float64Array): void;
  /**
   * Writes Σ_k weights[k]·rows[k] (in task order, ((w₀g₀ + w₁g₁) + w₂g₂) + …) into `dst` and returns −1,
   * or stops after the first block holding a non-finite entry and returns the block's start.
   */
  combine(rows: readonly TypedRow[], weights: ArrayLike<number>, D: number, dst: Float64Array): number;
}

/** A kernel reused across calls, owned by one aggregator (never module-level). */
export interface KernelCache {
  kernel: WasmKernel | null | undefined;
}

/** The slice of the WebAssembly JS API used here (the package's `lib` settings do not include it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * Creating the kernel (building and compiling 6 KB of code, a 3.2 MB memory) costs 0.6–10 ms on the
 * benchmark VM, and up to 40 ms the first time in a process (the code builder is not yet optimised), so a
 * one-off call uses it only from 16M entries (K·D); an owner that keeps its kernel uses it from 64K entries.
 */
const MIN_ENTRIES = 1 << 24;
const MIN_ENTRIES_CACHED = 1 << 16;

/**
 * The kernel for a pass over `entries` = K·D values: the cached one (created on first use), a fresh one
 * for a large one-off call, or null (small input, or WebAssembly SIMD unavailable).
 */
export function kernelFor(entries: number, cache: KernelCache | undefined): WasmKernel | null {
  if (cache === undefined) return entries >= MIN_ENTRIES ? createWasmKernel() : null;
  if (entries < MIN_ENTRIES_CACHED) return null;
  if (cache.kernel === undefined) cache.kernel = createWasmKernel();
  return cache.kernel;
}

/** Whether every row is a Float32Array or Float64Array (the kernel's inputs). */
export function allTyped(rows: readonly ArrayLike<number>[]): rows is readonly TypedRow[] {
  return rows.every((r) => r instanceof Float32Array || r instanceof Float64Array);
}

type Pass = (k0: number, n: number) => number;

/** Compiles the kernel, or returns null where WebAssembly SIMD is unavailable or forbidden. */
export function createWasmKernel(): WasmKernel | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  const smallGrams = ([2, 4] as const).flatMap((R) => [smallGramFn(R, false), smallGramFn(R, true)]);
  const passes: WasmFunction[] = [];
  for (const wide of [false, true]) {
    for (let m = 1; m <= ROWS_PER_PASS; m++) passes.push(combineFn(m, true, wide), combineFn(m, false, wide));
  }
  const bytes = wasmModule(Math.ceil(END / 65536), [widenFn(), dotsFn(), ...smallGrams, ...passes]);
  if (!wasm.validate(bytes)) return null;
  let exports: Record<string, unknown>;
  try {
    exports = new wasm.Instance(new wasm.Module(bytes), {}).exports;
  } catch {
    // A Content-Security-Policy without 'wasm-unsafe-eval' forbids compilation: use the scalar route.
    return null;
  }
  const buffer = (exports['mem'] as { buffer: ArrayBuffer }).buffer;
  const f32 = new Float32Array(buffer, F32_BASE, WASM_MAX_K * WASM_MAX_BLOCK);
  const f64 = new Float64Array(buffer, F64_BASE, WASM_MAX_K * WASM_MAX_BLOCK);
  const acc = new Float64Array(buffer, GRAM_BASE, WASM_MAX_K * WASM_MAX_K);
  const w = new Float64Array(buffer, W_BASE, WASM_MAX_K);
  const direction = new Float64Array(buffer, OUT_BASE, WASM_MAX_BLOCK);
  const widen = exports['widen'] as (r: number, n: number) => void;
  const dots = exports['dots'] as (Ke: number, n: number) => void;
  const small = (R: number, wide: boolean) => exports[smallGramName(R, wide)] as (n: number) => void;
  const pass = (m: number, first: boolean, wide: boolean) => exports[combineName(m, first, wide)] as Pass;
  const passTable = [false, true].map((wide) => [true, false].map((first) =>
    Array.from({ length: ROWS_PER_PASS + 1 }, (_, m) => (m === 0 ? null : pass(m, first, wide)))));

  // Copies rows[·][start, end) in, zero-padded to a multiple of 4, and returns the padded length. With
  // `wide`, every row ends up as float64 (float32 widened in the module); otherwise all rows are float32.
  const load = (rows: readonly TypedRow[], start: number, end: number, wide: boolean): number => {
    const n = end - start;
    const padded = (n + 3) & ~3;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as TypedRow;
      const at = r * WASM_MAX_BLOCK;
      if (row instanceof Float32Array) {
        f32.set(row.subarray(start, end), at);
        if (padded > n) f32.fill(0, at + n, at + padded);
        if (wide) widen(r, padded);
      } else {
        f64.set(row.subarray(start, end), at);
        if (padded > n) f64.fill(0, at + n, at + padded);
      }
    }
    return padded;
  };

  return {
    gram(rows, D, out) {
      const K = rows.length;
      // The kernels take rows in pairs: for odd K an all-zero extra row makes its entries zero.
      const Ke = K + (K & 1);
      acc.fill(0, 0, Ke * Ke);
      const B = blockLength(K);
      const wide = !rows.every((r) => r instanceof Float32Array);
      if (Ke <= 4) {
        // One sweep over all rows (small2/small4); missing rows up to Ke read as zeros.
        const area = wide ? f64 : f32;
        area.fill(0, K * WASM_MAX_BLOCK, Ke * WASM_MAX_BLOCK);
        const run = small(Ke, wide);
        for (let start = 0; start < D; start += B) run(load(rows, start, Math.min(D, start + B), wide));
      } else {
        if (Ke > K) f64.fill(0, K * WASM_MAX_BLOCK, (K + 1) * WASM_MAX_BLOCK);
        for (let start = 0; start < D; start += B) dots(Ke, load(rows, start, Math.min(D, start + B), true));
      }
      for (let i = 0; i < K; i++) {
        for (let j = i; j < K; j++) out[i * K + j] = acc[i * Ke + j] as number;
      }
    },
    combine(rows, weights, D, dst) {
      const K = rows.length;
      for (let k = 0; k < K; k++) w[k] = weights[k] as number;
      const wide = !rows.every((r) => r instanceof Float32Array);
      const table = passTable[wide ? 1 : 0] as (Pass | null)[][];
      const B = blockLength(K);
      for (let start = 0; start < D; start += B) {
        const end = Math.min(D, start + B);
        const n = load(rows, start, end, wide);
        let bad = 0;
        for (let k0 = 0; k0 < K; k0 += ROWS_PER_PASS) {
          const run = table[k0 === 0 ? 0 : 1]?.[Math.min(ROWS_PER_PASS, K - k0)] as Pass;
          bad |= run(k0, n);
        }
        dst.set(direction.subarray(0, end - start), start);
        if (bad !== 0) return start;
      }
      return -1;
    },
  };
}

const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
const ZERO = op.const64([0, 0, 0, 0, 0, 0, 0, 0]);

/** Pushes base + (row << shift), the byte address of a row block. */
function rowAddress(rowLocal: number, shift: number, base: number): Code {
  return [op.get(rowLocal), op.i32(shift), op.shl, op.i32(base), op.add];
}

/** widen(r, n): float64 row block r = the float32 row block r, n a multiple of 4. */
function widenFn(): WasmFunction {
  const [r, n, src, dst, end, v] = [0, 1, 2, 3, 4, 5];
  const body = [
    rowAddress(r, ROW32_SHIFT, F32_BASE), op.tee(src),
    op.get(n), op.i32(2), op.shl, op.add, op.set(end),
    rowAddress(r, ROW64_SHIFT, F64_BASE), op.set(dst),
    whileNot([op.get(src), op.get(end), op.geU], [
      op.get(dst), op.get(src), op.load(0), op.tee(v), op.promoteLow, op.store(0),
      // promote_low widens lanes 0–1: move lanes 2–3 down and widen them the same way.
      op.get(dst), op.get(v), op.get(v), op.shuffle(HIGH_TO_LOW), op.promoteLow, op.store(16),
      op.get(src), op.i32(16), op.add, op.set(src),
      op.get(dst), op.i32(32), op.add, op.set(dst),
    ]),
  ];
  return { name: 'widen', params: [I32, I32], results: [], locals: [I32, I32, I32, V128], body };
}

/**
 * dots(K', n): for row pairs (i, i+1) × (j, j+1), j ≥ i, one f64x2 accumulator per pair of the 2×2 tile:
 * four loads feed four products, where one pair at a time loads two values per product. (Eight
 * accumulators, two vectors a step, measured 2.4× slower: V8 spills them; reading the float32 blocks and
 * widening in registers measured 1.25× slower than widening each row once.)
 */
function dotsFn(): WasmFunction {
  const [Ke, n, i, j, p, q, end, o] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [a00, a01, a10, a11, x0, x1, y0, y1] = [8, 9, 10, 11, 12, 13, 14, 15];
  const mac = (a: number, x: number, y: number) => [
    op.get(a), op.get(x), op.get(y), op.fMul, op.fAdd, op.set(a),
  ];
  // gram[o + off] += lane 0 + lane 1 of the accumulator.
  const flush = (a: number, off: number) => [
    op.get(o), op.get(o), op.f64Load(GRAM_BASE + off),
    op.get(a), op.lane(0), op.get(a), op.lane(1), op.f64Add, op.f64Add, op.f64Store(GRAM_BASE + off),
  ];
  const tile = [
    rowAddress(i, ROW64_SHIFT, F64_BASE), op.tee(p),
    op.get(n), op.i32(3), op.shl, op.add, op.set(end),
    rowAddress(j, ROW64_SHIFT, F64_BASE), op.set(q),
    [a00, a01, a10, a11].map((a) => [ZERO, op.set(a)]),
    op.get(i), op.get(j), op.eq,
    op.ifElse(
      // A diagonal tile needs two rows and three products (its lower entry is never read).
      whileNot([op.get(p), op.get(end), op.geU], [
        op.get(p), op.load(0), op.set(x0),
        op.get(p), op.load(F64_ROW), op.set(x1),
        mac(a00, x0, x0), mac(a01, x0, x1), mac(a11, x1, x1),
        op.get(p), op.i32(16), op.add, op.set(p),
      ]),
      whileNot([op.get(p), op.get(end), op.geU], [
        op.get(p), op.load(0), op.set(x0),
        op.get(p), op.load(F64_ROW), op.set(x1),
        op.get(q), op.load(0), op.set(y0),
        op.get(q), op.load(F64_ROW), op.set(y1),
        mac(a00, x0, y0), mac(a01, x0, y1), mac(a10, x1, y0), mac(a11, x1, y1),
        op.get(p), op.i32(16), op.add, op.set(p),
        op.get(q), op.i32(16), op.add, op.set(q),
      ]),
    ),
    op.get(i), op.get(Ke), op.mul, op.get(j), op.add, op.i32(3), op.shl, op.set(o),
    flush(a00, 0), flush(a01, 8),
    op.get(o), op.get(Ke), op.i32(3), op.shl, op.add, op.set(o),
    flush(a10, 0), flush(a11, 8),
  ];
  const body = [
    op.i32(0), op.set(i),
    whileNot([op.get(i), op.get(Ke), op.geU], [
      op.get(i), op.set(j),
      whileNot([op.get(j), op.get(Ke), op.geU], [
        tile,
        op.get(j), op.i32(2), op.add, op.set(j),
      ]),
      op.get(i), op.i32(2), op.add, op.set(i),
    ]),
  ];
  return { name: 'dots', params: [I32, I32], results: [], locals: [...Array<number>(6).fill(I32), ...Array<number>(8).fill(V128)], body };
}

/**
 * small{R}{32|64}(n), R = 2 or 4: the whole Gram of rows 0 … R−1 (K ≤ R, missing rows zero) in one sweep.
 * Each row is loaded once a step for all R(R+1)/2 products, and float32 rows are widened in registers: with
 * one tile, widening through memory (two stores per four entries) costs more than the products. R = 2 keeps
 * separate accumulators for the low and high halves of each load; R = 4 has registers for one set only (10
 * accumulators, 4 rows, 1 load). The float32 and float64 versions add in the same order (bitwise equal).
 */
function smallGramFn(R: 2 | 4, wide: boolean): WasmFunction {
  const [n, p, end] = [0, 1, 2];
  const x = (r: number) => 3 + r;
  const pairs: [number, number][] = [];
  for (let i = 0; i < R; i++) for (let j = i; j < R; j++) pairs.push([i, j]);
  const sets = R === 2 ? 2 : 1;
  const acc = (set: number, k: number) => 3 + R + set * pairs.length + k;
  const raw = 3 + R + sets * pairs.length;
  const row = (r: number, upper: boolean): Code => wide
    ? [op.get(p), op.load(F64_BASE + r * F64_ROW + (upper ? 16 : 0)), op.set(x(r))]
    : [op.get(p), op.load(F32_BASE + r * F32_ROW), op.set(raw),
      op.get(raw), upper ? [op.get(raw), op.shuffle(HIGH_TO_LOW)] : [], op.promoteLow, op.set(x(r))];
  const half = (upper: boolean): Code => {
    const set = upper && sets === 2 ? 1 : 0;
    return [
      Array.from({ length: R }, (_, r) => row(r, upper)),
      pairs.map(([i, j], k) => [op.get(acc(set, k)), op.get(x(i)), op.get(x(j)), op.fMul, op.fAdd, op.set(acc(set, k))]),
    ];
  };
  // gram[i·R + j] += lanes of the pair's accumulator(s).
  const flush = ([i, j]: [number, number], k: number): Code => [
    op.i32(0), op.i32(0), op.f64Load(GRAM_BASE + 8 * (i * R + j)),
    op.get(acc(0, k)), sets === 2 ? [op.get(acc(1, k)), op.fAdd] : [], op.tee(x(0)),
    op.lane(0), op.get(x(0)), op.lane(1), op.f64Add,
    op.f64Add, op.f64Store(GRAM_BASE + 8 * (i * R + j)),
  ];
  const body = [
    op.i32(0), op.tee(p), op.get(n), op.i32(wide ? 3 : 2), op.shl, op.add, op.set(end),
    whileNot([op.get(p), op.get(end), op.geU], [
      half(false), half(true),
      op.get(p), op.i32(wide ? 32 : 16), op.add, op.set(p),
    ]),
    pairs.map((ij, k) => flush(ij, k)),
  ];
  return {
    name: smallGramName(R, wide), params: [I32], results: [],
    locals: [I32, I32, ...Array<number>(R + sets * pairs.length + 1).fill(V128)], body,
  };
}

function smallGramName(R: number, wide: boolean): string {
  return `small${R}_${wide ? 64 : 32}`;
}

function combineName(m: number, first: boolean, wide: boolean): string {
  return `combine${wide ? 64 : 32}_${m}${first ? 'set' : 'add'}`;
}

/**
 * One combination pass (k0, n) → non-finite flag: rows k0 … k0+m−1 (m ≤ 4) times their weights are added
 * to the output block in task order, four entries a step. `first` stores w·g instead of adding to the
 * block's stale contents; `wide` reads the float64 row blocks, otherwise the float32 ones are widened in
 * registers (no widened copy is written: that store traffic costs more than the in-register widening).
 * Each stored vector v adds v·0 to a probe (two f64 ops, where an exponent test takes three integer ones):
 * the probe is NaN exactly when some partial sum is ±∞ or NaN, and such a sum stays non-finite.
 */
function combineFn(m: number, first: boolean, wide: boolean): WasmFunction {
  const [k0, n, src, end, o] = [0, 1, 2, 3, 4];
  const [lo, hi, x, plo, phi] = [5, 6, 7, 8, 9];
  const w = (k: number) => 10 + k;
  const sum = 10 + m;
  const fresh = (r: number) => first && r === 0;
  // acc = acc + w·value, or acc = w·value for the first row of the first pass.
  const term = (r: number, acc: number, value: Code) => [
    (fresh(r) ? [] : op.get(acc)), op.get(w(r)), value, op.fMul, (fresh(r) ? [] : op.fAdd), op.set(acc),
  ];
  const row = (r: number) => wide
    ? [
      term(r, lo, [op.get(src), op.load(F64_BASE + r * F64_ROW)]),
      term(r, hi, [op.get(src), op.load(F64_BASE + r * F64_ROW + 16)]),
    ]
    : [
      op.get(src), op.load(F32_BASE + r * F32_ROW), op.set(x),
      term(r, lo, [op.get(x), op.promoteLow]),
      term(r, hi, [op.get(x), op.get(x), op.shuffle(HIGH_TO_LOW), op.promoteLow]),
    ];
  const probe = (v: number, p: number) => [op.get(p), op.get(v), ZERO, op.fMul, op.fAdd, op.set(p)];
  // src walks the first row's block (relative to the area base, which is in each load's offset).
  const step = wide ? 32 : 16;
  const body = [
    Array.from({ length: m }, (_, r) => [
      op.get(k0), op.i32(3), op.shl, op.f64Load(W_BASE + 8 * r), op.splat, op.set(w(r)),
    ]).flat(),
    op.get(k0), op.i32(wide ? ROW64_SHIFT : ROW32_SHIFT), op.shl, op.tee(src),
    op.get(n), op.i32(wide ? 3 : 2), op.shl, op.add, op.set(end),
    op.i32(0), op.set(o),
    whileNot([op.get(src), op.get(end), op.geU], [
      (first ? [] : [op.get(o), op.load(OUT_BASE), op.set(lo), op.get(o), op.load(OUT_BASE + 16), op.set(hi)]),
      Array.from({ length: m }, (_, r) => row(r)),
      op.get(o), op.get(lo), op.store(OUT_BASE), op.get(o), op.get(hi), op.store(OUT_BASE + 16),
      probe(lo, plo), probe(hi, phi),
      op.get(src), op.i32(step), op.add, op.set(src),
      op.get(o), op.i32(32), op.add, op.set(o),
    ]),
    op.get(plo), op.get(phi), op.fAdd, op.tee(plo), op.lane(0), op.get(plo), op.lane(1), op.f64Add,
    op.tee(sum), op.get(sum), op.f64Ne,
  ];
  return {
    name: combineName(m, first, wide), params: [I32, I32], results: [I32],
    locals: [I32, I32, I32, ...Array<number>(5 + m).fill(V128), F64], body,
  };
}
