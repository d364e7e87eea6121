import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelCall } from './batch-mat-mul.js';
import { asWasmBackend } from './wasm-heap.js';

/**
 * Identity that shares the input's memory with a reference-count bump, as the cpu backend does.
 * The engine clones every tensor it saves for backward; tensors are immutable and no kernel of the
 * pack writes into existing memory, so sharing is safe and saves one copy per saved tensor.
 */
export function createZeroCopyIdentity(stockIdentity: KernelCall): KernelCall {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return stockIdentity(args);
    asWasmBackend(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** Cast that is zero-copy when the dtype does not change, and the stock kernel otherwise. */
export function createZeroCopyCast(stockCast: KernelCall): KernelCall {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (args.attrs?.['dtype'] !== x.dtype || x.dtype === 'string') return stockCast(args);
    asWasmBackend(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
