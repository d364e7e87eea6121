import { util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelCall } from './batch-mat-mul.js';
import { asWasmBackend, f32View, i32View } from './wasm-heap.js';

/**
 * UnsortedSegmentSum (missing from tfjs-backend-wasm 4.22; the gradient of `gather`, hence of every
 * embedding lookup): out[s] = Σ x[i] over the rows i with segmentIds[i] = s. Ids outside
 * [0, numSegments) are dropped, as in TensorFlow. float32 and int32 data.
 */
export function createUnsortedSegmentSum(): KernelCall {
  return (args) => {
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const numSegments = args.attrs?.['numSegments'] as number;
    if (!Number.isInteger(numSegments) || numSegments < 0) {
      throw new Error(`\`UnsortedSegmentSum.numSegments\` should be a non-negative integer. Found ${String(numSegments)}.`);
    }
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      throw new Error(`\`UnsortedSegmentSum.x\` should be float32 or int32. Found ${x.dtype}.`);
    }
    const backend = asWasmBackend(args.backend);
    const idCount = util.sizeFromShape(segmentIds.shape);
    const rowLen = idCount === 0 ? 0 : util.sizeFromShape(x.shape) / idCount;
    const innerShape = x.shape.slice(segmentIds.shape.length);
    const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
    const ids = segmentIds.dtype === 'int32' ? i32View(backend, segmentIds) : Int32Array.from(f32View(backend, segmentIds));
    const src = x.dtype === 'float32' ? f32View(backend, x) : i32View(backend, x);
    const dst = x.dtype === 'float32' ? f32View(backend, out) : i32View(backend, out);
    dst.fill(0);
    for (let i = 0; i < idCount; i++) {
      const s = ids[i]!;
      if (s < 0 || s >= numSegments) continue;
      const from = i * rowLen;
      const to = s * rowLen;
      for (let j = 0; j < rowLen; j++) dst[to + j]! += src[from + j]!;
    }
    return out;
  };
}
