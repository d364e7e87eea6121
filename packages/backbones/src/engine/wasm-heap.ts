import { util } from '@tensorflow/tfjs-core';
import type { DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/** One entry of the wasm backend's tensor table (tfjs-backend-wasm 4.22, `BackendWasm.dataIdMap`). */
interface WasmTensorRecord {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

/** The parts of the Emscripten module that the kernel pack touches. */
interface WasmModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  cwrap(name: string, returnType: null, argTypes: string[]): (...args: unknown[]) => void;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

/**
 * The wasm backend seen through the internals that the kernel pack relies on. These are not public
 * API of tfjs-backend-wasm; `asWasmBackend` checks them once per call so that a future layout change
 * fails loudly instead of corrupting memory.
 */
export interface WasmBackend extends KernelBackend {
  wasm: WasmModule;
  dataIdNextNumber: number;
  dataIdMap: {
    get(dataId: DataId): WasmTensorRecord | undefined;
    set(dataId: DataId, record: WasmTensorRecord): void;
    delete(dataId: DataId): void;
  };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
  incRef(dataId: DataId): void;
}

/** Narrows a kernel's backend argument to the wasm internals, or throws naming what is missing. */
export function asWasmBackend(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (
    b === null ||
    typeof b !== 'object' ||
    b.wasm === undefined ||
    typeof b.wasm._malloc !== 'function' ||
    b.dataIdMap === undefined ||
    typeof b.dataIdNextNumber !== 'number'
  ) {
    throw new Error(
      '`backend` should be the tfjs-backend-wasm 4.22 backend (with `wasm`, `dataIdMap`, `dataIdNextNumber`). Found an object without them.',
    );
  }
  return b as WasmBackend;
}

/** The tensor-table record behind a TensorInfo; throws if the tensor was disposed. */
export function recordOf(backend: WasmBackend, info: TensorInfo): WasmTensorRecord {
  const record = backend.dataIdMap.get(info.dataId);
  if (record === undefined) {
    throw new Error('`tensor` should be alive on the wasm backend. Found a disposed data id.');
  }
  return record;
}

/**
 * A Float32Array over a tensor's heap memory. Any allocation may grow the heap and detach earlier
 * views, so take views after the last `makeOutput` of a kernel, never before.
 */
export function f32View(backend: WasmBackend, info: TensorInfo): Float32Array {
  const { memoryOffset } = recordOf(backend, info);
  return new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, util.sizeFromShape(info.shape));
}

/** An Int32Array over an int32 tensor's heap memory (same caveat as `f32View`). */
export function i32View(backend: WasmBackend, info: TensorInfo): Int32Array {
  const { memoryOffset } = recordOf(backend, info);
  return new Int32Array(backend.wasm.HEAPU8.buffer, memoryOffset, util.sizeFromShape(info.shape));
}

/**
 * Registers a non-owning tensor that points into another tensor's memory, so that a wasm kernel can
 * run on one slice without a copy. The alias gets a fresh id: XNNPACK caches packed right-hand
 * operands per id, and a fresh id can never hit a stale cache entry. Release it with `releaseAlias`.
 */
export function aliasAt(
  backend: WasmBackend,
  byteOffset: number,
  shape: number[],
  dtype: DataType = 'float32',
): TensorInfo {
  const id = backend.dataIdNextNumber++;
  const dataId = { id };
  const size = util.sizeFromShape(shape);
  backend.dataIdMap.set(dataId, { id, memoryOffset: byteOffset, shape, dtype, refCount: 1 });
  backend.wasm.tfjs.registerTensor(id, size, byteOffset);
  return { dataId, shape, dtype };
}

/** Forgets an alias made by `aliasAt` without freeing the memory it points into. */
export function releaseAlias(backend: WasmBackend, alias: TensorInfo): void {
  const record = backend.dataIdMap.get(alias.dataId);
  if (record === undefined) return;
  backend.wasm.tfjs.disposeData(record.id);
  backend.dataIdMap.delete(alias.dataId);
}
