/**
 * WebAssembly SIMD kernel for the Gram matrix of typed-array rows. JavaScript has no SIMD, and the
 * scalar 4×4-tiled loop is compute-bound from K = 4 on; with f64x2 lanes the dot products run on
 * cache-resident float64 copies of each block. (The combination Σ wᵢgᵢ stays in JavaScript: it is
 * memory-bound, and a SIMD version measured no faster once the per-block copies are paid.) The module is hand-assembled below (a few hundred
 * bytes, no toolchain, no download) and compiled per call, so there is no module-level state.
 */

/** Doubles per row in a block (32 KiB per row: K = 8 rows stay in a 256 KiB L2 share). */
export const WASM_BLOCK = 4096;
/** log2 of the byte stride between row blocks. */
const ROW_SHIFT = Math.log2(WASM_BLOCK * 8);
/** Largest K the kernel's memory layout holds. */
export const WASM_MAX_K = 16;
/** Byte offset of the K×K accumulator in the module's memory (after 16 row blocks). */
const OUT = WASM_MAX_K * WASM_BLOCK * 8;
const END = OUT + WASM_MAX_K * WASM_MAX_K * 8;

/**
 * The instantiated kernel over one memory: `rows` (K blocks of WASM_BLOCK doubles); `dots(K, n)` adds
 * the upper triangle of the block's Gram into `out` (n a multiple of 4).
 */
export interface WasmGramKernel {
  readonly rows: Float64Array;
  readonly out: Float64Array;
  dots(K: number, n: number): void;
}

/** The slice of the WebAssembly JS API used here (the package's `lib` settings do not include it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** Compiles the kernel, or returns null where WebAssembly SIMD is unavailable or forbidden. */
export function createWasmGramKernel(): WasmGramKernel | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  const bytes = new Uint8Array(moduleBytes());
  if (!wasm.validate(bytes)) return null;
  let instance: { exports: Record<string, unknown> };
  try {
    instance = new wasm.Instance(new wasm.Module(bytes), {});
  } catch {
    // A Content-Security-Policy without 'wasm-unsafe-eval' forbids compilation: use the scalar route.
    return null;
  }
  const mem = instance.exports.mem as { buffer: ArrayBuffer };
  const dots = instance.exports.dots as (K: number, n: number) => void;
  return {
    rows: new Float64Array(mem.buffer, 0, WASM_MAX_K * WASM_BLOCK),
    out: new Float64Array(mem.buffer, OUT, WASM_MAX_K * WASM_MAX_K),
    dots,
  };
}

function leb(n: number): number[] {
  const out: number[] = [];
  let v = n;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

function name(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

/**
 * dots(K, n): for 0 ≤ i ≤ j < K, out[i·K + j] += Σ_{d<n} rows_i[d]·rows_j[d], rows_r at byte r·2^ROW_SHIFT,
 * n a multiple of 4, two f64x2 accumulators per pair.
 */
function moduleBytes(): number[] {
  const I32 = 0x7f, V128 = 0x7b;
  const get = (l: number) => [0x20, l], set = (l: number) => [0x21, l];
  const c32 = (v: number) => [0x41, ...leb(v)];
  const add = [0x6a], mul = [0x6c], shl = [0x74], geU = [0x4f];
  const simd = (op: number, ...imm: number[]) => [0xfd, ...leb(op), ...imm];
  const v128Load = (offset: number) => simd(0x00, 4, ...leb(offset));
  const f64x2Add = simd(0xf0), f64x2Mul = simd(0xf2);
  const lane = (l: number) => simd(0x21, l);
  const zero = simd(0x0c, ...new Array<number>(16).fill(0));
  const block = (body: number[]) => [0x02, 0x40, ...body, 0x0b];
  const loop = (body: number[]) => [0x03, 0x40, ...body, 0x0b];
  const brIf = (d: number) => [0x0d, d], br = (d: number) => [0x0c, d];
  // Locals: 0 K, 1 n, 2 i, 3 j, 4 pi, 5 pj, 6 d, 7 end, 8 acc0, 9 acc1, 10 o.
  const pairTerm = (acc: number, offset: number) => [
    ...get(acc),
    ...get(4), ...get(6), ...add, ...v128Load(offset),
    ...get(5), ...get(6), ...add, ...v128Load(offset),
    ...f64x2Mul, ...f64x2Add, ...set(acc),
  ];
  const inner = loop([
    ...get(6), ...get(7), ...geU, ...brIf(1),
    ...pairTerm(8, 0),
    ...pairTerm(9, 16),
    ...get(6), ...c32(32), ...add, ...set(6),
    ...br(0),
  ]);
  const pair = [
    ...get(2), ...c32(ROW_SHIFT), ...shl, ...set(4),
    ...get(3), ...c32(ROW_SHIFT), ...shl, ...set(5),
    ...zero, ...set(8), ...zero, ...set(9),
    ...c32(0), ...set(6),
    ...block(inner),
    ...get(2), ...get(0), ...mul, ...get(3), ...add, ...c32(3), ...shl, ...c32(OUT), ...add, ...set(10),
    ...get(10),
    ...get(10), 0x2b, 3, 0,
    ...get(8), ...lane(0), 0xa0, ...get(8), ...lane(1), 0xa0,
    ...get(9), ...lane(0), 0xa0, ...get(9), ...lane(1), 0xa0,
    0x39, 3, 0,
    ...get(3), ...c32(1), ...add, ...set(3),
    ...br(0),
  ];
  const code = [
    ...get(1), ...c32(3), ...shl, ...set(7),
    ...c32(0), ...set(2),
    ...block(loop([
      ...get(2), ...get(0), ...geU, ...brIf(1),
      ...get(2), ...set(3),
      ...block(loop([...get(3), ...get(0), ...geU, ...brIf(1), ...pair])),
      ...get(2), ...c32(1), ...add, ...set(2),
      ...br(0),
    ])),
    0x0b,
  ];
  const locals = [3, 6, I32, 2, V128, 1, I32];
  const body = [...locals, ...code];
  const pages = Math.ceil(END / 65536);
  return [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 2, I32, I32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...leb(pages)]),
    ...section(7, [2, ...name('mem'), 0x02, 0, ...name('dots'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ];
}
