import type { TensorInfo } from '@tensorflow/tfjs-core';
import { aliasAt, recordOf, releaseAlias } from './wasm-heap.js';
import type { WasmBackend } from './wasm-heap.js';

/**
 * C = A·B for row-major A [m, k] and B [k, n] already in wasm memory, written into `out` [m, n].
 * The wasm backend's BatchMatMul entry point takes its XNNPACK (SIMD GEMM) branch only for batch 1
 * and no transposes; every call made here has that form.
 */
export type Gemm = (
  backend: WasmBackend,
  a: GemmOperand,
  b: GemmOperand,
  out: GemmOperand,
  dims: { m: number; k: number; n: number },
) => void;

/** A float32 matrix given by its byte address in wasm memory. */
export interface GemmOperand {
  readonly byteOffset: number;
}

type RawBatchMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

/**
 * Builds a `Gemm` bound lazily to each wasm backend instance it meets (the cwrap is per module).
 * Operands are passed as addresses and wrapped in fresh aliases per call, so the same memory can be
 * a slice of a larger tensor.
 */
export function createGemm(): Gemm {
  const raw = new WeakMap<WasmBackend, RawBatchMatMul>();
  return (backend, a, b, out, { m, k, n }) => {
    let fn = raw.get(backend);
    if (fn === undefined) {
      fn = backend.wasm.cwrap('BatchMatMul', null, [
        'number',
        'array',
        'number',
        'number',
        'array',
        'number',
        'number',
        'number',
        'number',
      ]) as unknown as RawBatchMatMul;
      raw.set(backend, fn);
    }
    const aInfo = aliasAt(backend, a.byteOffset, [1, m, k]);
    const bInfo = aliasAt(backend, b.byteOffset, [1, k, n]);
    const oInfo = aliasAt(backend, out.byteOffset, [1, m, n]);
    try {
      fn(
        recordOf(backend, aInfo).id,
        shapeBytes(1, m, k),
        3,
        recordOf(backend, bInfo).id,
        shapeBytes(1, k, n),
        3,
        false,
        false,
        recordOf(backend, oInfo).id,
      );
    } finally {
      releaseAlias(backend, aInfo);
      releaseAlias(backend, bInfo);
      releaseAlias(backend, oInfo);
    }
  };
}

function shapeBytes(d0: number, d1: number, d2: number): Uint8Array {
  return new Uint8Array(new Int32Array([d0, d1, d2]).buffer);
}

/** The byte address of a live tensor's memory, as a GEMM operand. */
export function operandOf(backend: WasmBackend, info: TensorInfo, elementOffset = 0): GemmOperand {
  return { byteOffset: recordOf(backend, info).memoryOffset + 4 * elementOffset };
}
