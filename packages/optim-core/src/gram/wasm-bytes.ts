/**
 * The WebAssembly binary encoding used by the hand-assembled D-space kernel (wasm-kernel.ts): the few
 * instructions it needs, and a module writer. Hand assembly keeps the package free of a toolchain, a
 * build step and a runtime download; the kernel is about 6 KB. Code is built as nested arrays and
 * flattened once per function: spreading at every level made building the module cost 30–50 ms, longer
 * than compiling it.
 */

/** Instruction bytes, nested arbitrarily (flattened when the module is written). */
export type Code = number | readonly Code[];

/** Value types. */
export const I32 = 0x7f;
/** Value type of a float64. */
export const F64 = 0x7c;
/** Value type of a 128-bit SIMD vector. */
export const V128 = 0x7b;

/** Signed LEB128 (i32.const immediates). */
function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
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

/** Unsigned LEB128 (sizes, indices, memory offsets, SIMD opcodes). */
function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    const b = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? b : b | 0x80);
  } while (v !== 0);
  return out;
}

const simd = (opcode: number, ...imm: Code[]): Code => [0xfd, uleb(opcode), imm];

/**
 * Instructions, each as its bytes. Memory instructions take the static byte offset of their memarg
 * (the kernel's fixed layout is expressed through these offsets rather than address arithmetic).
 */
export const op = {
  get: (l: number): Code => [0x20, uleb(l)],
  set: (l: number): Code => [0x21, uleb(l)],
  tee: (l: number): Code => [0x22, uleb(l)],
  i32: (v: number): Code => [0x41, sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  shl: [0x74],
  geU: [0x4f],
  eq: [0x46],
  f64Load: (offset: number): Code => [0x2b, 3, uleb(offset)],
  f64Store: (offset: number): Code => [0x39, 3, uleb(offset)],
  f64Add: [0xa0],
  f64Ne: [0x62],
  load: (offset: number) => simd(0x00, 4, uleb(offset)),
  store: (offset: number) => simd(0x0b, 4, uleb(offset)),
  /** v128.const with the same 8 little-endian bytes in both 64-bit lanes. */
  const64: (bytes: readonly number[]) => simd(0x0c, bytes, bytes),
  shuffle: (lanes: readonly number[]) => simd(0x0d, lanes),
  splat: simd(0x14),
  lane: (l: number) => simd(0x21, l),
  promoteLow: simd(0x5f),
  fAdd: simd(0xf0),
  fMul: simd(0xf2),
  block: (body: Code): Code => [0x02, 0x40, body, 0x0b],
  loop: (body: Code): Code => [0x03, 0x40, body, 0x0b],
  ifElse: (then: Code, otherwise: Code): Code => [0x04, 0x40, then, 0x05, otherwise, 0x0b],
  br: (depth: number): Code => [0x0c, depth],
  brIf: (depth: number): Code => [0x0d, depth],
} as const;

/** `block { loop { if (cond) break; body; continue } }`: `cond` leaves an i32 on the stack. */
export function whileNot(cond: Code, body: Code): Code {
  return op.block(op.loop([cond, op.brIf(1), body, op.br(0)]));
}

/** One exported function: parameter and result types, extra locals (type per local), body. */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  readonly locals: readonly number[];
  readonly body: Code;
}

function flat(code: Code, out: number[] = []): number[] {
  if (typeof code === 'number') out.push(code);
  else for (const c of code) flat(c, out);
  return out;
}

function vec(items: readonly Code[]): number[] {
  return flat([uleb(items.length), items]);
}

function section(id: number, body: readonly number[]): number[] {
  return flat([id, uleb(body.length), body]);
}

function name(s: string): number[] {
  return flat([uleb(s.length), Array.from(s, (c) => c.charCodeAt(0))]);
}

function localGroups(types: readonly number[]): number[][] {
  const groups: number[][] = [];
  for (const t of types) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[1] === t) last[0] = (last[0] as number) + 1;
    else groups.push([1, t]);
  }
  return groups.map(([count, t]) => flat([uleb(count as number), t as number]));
}

/** A module with one memory of `pages` 64 KiB pages exported as `mem`, and the given functions. */
export function wasmModule(pages: number, funcs: readonly WasmFunction[]): Uint8Array {
  const types = funcs.map((f) => [0x60, vec(f.params), vec(f.results)]);
  const exports = [
    [name('mem'), 0x02, 0],
    ...funcs.map((f, i) => [name(f.name), 0x00, uleb(i)]),
  ];
  const bodies = funcs.map((f) => {
    const body = flat([vec(localGroups(f.locals)), f.body, 0x0b]);
    return [uleb(body.length), body];
  });
  return Uint8Array.from(flat([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    section(1, vec(types)),
    section(3, vec(funcs.map((_, i) => uleb(i)))),
    section(5, [1, 0x00, ...uleb(pages)]),
    section(7, vec(exports)),
    section(10, vec(bodies)),
  ]));
}
