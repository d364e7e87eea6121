import { broadcast_util, util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { Gemm } from './xnn-gemm.js';
import { operandOf, wholeOperand } from './xnn-gemm.js';
import { asWasmBackend } from './wasm-heap.js';
import type { WasmBackend } from './wasm-heap.js';

/** A kernel function as the engine calls it. */
export type KernelCall = (args: {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: NamedAttrMap;
}) => TensorInfo | TensorInfo[];

/** Stock kernels the pack falls back to or builds on. */
export interface StockKernels {
  readonly transpose: KernelCall;
  readonly batchMatMul: KernelCall;
}

/**
 * BatchMatMul that always lands on XNNPACK: transposed operands are transposed explicitly first (a
 * memory-bound copy, far cheaper than the stock scalar loop), then each batch slice is one 2-D GEMM
 * on zero-copy aliases of heap memory, written into slices of one fresh output.
 */
export function createBatchMatMul(gemm: Gemm, stock: StockKernels): KernelCall {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const transposeA = args.attrs?.['transposeA'] === true;
    const transposeB = args.attrs?.['transposeB'] === true;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock.batchMatMul(args);
    const aRank = a.shape.length;
    const bRank = b.shape.length;
    const m = dim(a.shape, transposeA ? aRank - 1 : aRank - 2);
    const k = dim(a.shape, transposeA ? aRank - 2 : aRank - 1);
    const kB = dim(b.shape, transposeB ? bRank - 1 : bRank - 2);
    const n = dim(b.shape, transposeB ? bRank - 2 : bRank - 1);
    const batchA = util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = util.sizeFromShape(b.shape.slice(0, -2));
    // Only "equal batches" or "one side batch 1" map onto slices; the rest keeps the stock semantics.
    if (k !== kB || (batchA !== batchB && batchA !== 1 && batchB !== 1) || m * n * k === 0) {
      return stock.batchMatMul(args);
    }
    // The stock kernel already runs this case on XNNPACK, with its weight cache keyed by tensor id.
    if (batchA === 1 && batchB === 1 && !transposeA && !transposeB) return stock.batchMatMul(args);
    const outOuter = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const backend = asWasmBackend(args.backend);
    const batch = Math.max(batchA, batchB);

    const aRows = transposeA ? transposed(stock, backend, a, batchA, k, m) : a;
    const bRows = transposeB ? transposed(stock, backend, b, batchB, n, k) : b;
    const out = backend.makeOutput([batch, m, n], 'float32');
    try {
      if (batchB === 1) {
        // Every slice of A meets the same B: one GEMM over the stacked rows of A.
        gemm(backend, operandOf(backend, aRows), wholeOperand(backend, bRows), operandOf(backend, out), {
          m: batchA * m,
          k,
          n,
        });
      } else {
        for (let i = 0; i < batch; i++) {
          gemm(
            backend,
            operandOf(backend, aRows, batchA === 1 ? 0 : i * m * k),
            operandOf(backend, bRows, i * k * n),
            operandOf(backend, out, i * m * n),
            { m, k, n },
          );
        }
      }
    } finally {
      if (aRows !== a) backend.disposeData(aRows.dataId);
      if (bRows !== b) backend.disposeData(bRows.dataId);
    }
    return { dataId: out.dataId, shape: [...outOuter, m, n], dtype: 'float32' };
  };
}

function dim(shape: readonly number[], axis: number): number {
  const value = shape[axis];
  if (value === undefined) {
    throw new Error(`\`shape\` should have an axis ${axis} for matMul. Found rank ${shape.length}.`);
  }
  return value;
}

/** [batch, rows, cols] stored as [batch, cols, rows] → a fresh [batch, rows, cols] tensor. */
function transposed(
  stock: StockKernels,
  backend: WasmBackend,
  x: TensorInfo,
  batch: number,
  cols: number,
  rows: number,
): TensorInfo {
  const view: TensorInfo = { dataId: x.dataId, shape: [batch, cols, rows], dtype: x.dtype };
  return stock.transpose({ inputs: { x: view }, backend, attrs: { perm: [0, 2, 1] } }) as TensorInfo;
}
