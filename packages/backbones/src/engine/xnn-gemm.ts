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

/**
 * A float32 matrix given by its byte address in wasm memory, or by a whole live tensor (`id`): then
 * its own id is used, so XNNPACK's packed-weight cache (keyed by id) serves repeated right operands,
 * e.g. constant weights during generation.
 */
export interface GemmOperand {
  readonly byteOffset: number;
  readonly id?: number;
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
    const aliases: TensorInfo[] = [];
    const idOf = (operand: GemmOperand, shape: number[]): number => {
      if (operand.id !== undefined) return operand.id;
      const alias = aliasAt(backend, operand.byteOffset, shape);
      aliases.push(alias);
      return recordOf(backend, alias).id;
    };
    try {
      const aId = idOf(a, [1, m, k]);
      const bId = idOf(b, [1, k, n]);
      const outId = idOf(out, [1, m, n]);
      fn(aId, shapeBytes(1, m, k), 3, bId, shapeBytes(1, k, n), 3, false, false, outId);
    } finally {
      for (const alias of aliases) releaseAlias(backend, alias);
    }
  };
}

function shapeBytes(d0: number, d1: number, d2: number): Uint8Array {
  return new Uint8Array(new Int32Array([d0, d1, d2]).buffer);
}

/** A slice of a live tensor's memory starting at `elementOffset`, as a GEMM operand (aliased per call). */
export function operandOf(backend: WasmBackend, info: TensorInfo, elementOffset = 0): GemmOperand {
  return { byteOffset: recordOf(backend, info).memoryOffset + 4 * elementOffset };
}

/** A whole live tensor as a GEMM operand, under its own id. */
export function wholeOperand(backend: WasmBackend, info: TensorInfo): GemmOperand {
  const record = recordOf(backend, info);
  return { byteOffset: record.memoryOffset, id: record.id };
}
