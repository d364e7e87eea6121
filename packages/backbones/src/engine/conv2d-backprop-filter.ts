import type { backend_util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelCall } from './batch-mat-mul.js';
import { convGeometry } from './conv-geometry.js';
import { asWasmBackend, f32View } from './wasm-heap.js';
import type { Gemm } from './xnn-gemm.js';
import { operandOf } from './xnn-gemm.js';

/**
 * Conv2DBackpropFilter (missing from tfjs-backend-wasm 4.22) as im2col + one XNNPACK GEMM:
 * dW [fh·fw·c, oc] = colsᵀ [fh·fw·c, n·oh·ow] · dy [n·oh·ow, oc]. The patch matrix is written already
 * transposed so that the GEMM needs no transpose flag (which would leave the fast path).
 */
export function createConv2DBackpropFilter(gemm: Gemm): KernelCall {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs ?? {};
    const g = convGeometry(
      x.shape,
      attrs['filterShape'] as [number, number, number, number],
      attrs,
      'Conv2DBackpropFilter',
    );
    const backend = asWasmBackend(args.backend);
    const rows = g.filterHeight * g.filterWidth * g.inChannels;
    const cols = g.batch * g.outHeight * g.outWidth;
    const patches = backend.makeOutput([rows, cols], 'float32');
    const dw = backend.makeOutput([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], 'float32');
    try {
      fillTransposedPatches(f32View(backend, patches), f32View(backend, x), g, cols);
      gemm(backend, operandOf(backend, patches), operandOf(backend, dy), operandOf(backend, dw), {
        m: rows,
        k: cols,
        n: g.outChannels,
      });
    } finally {
      backend.disposeData(patches.dataId);
    }
    return dw;
  };
}

/** patches[(ky·fw + kx)·c + ci][(b·oh + oy)·ow + ox] = x[b, oy·s − pad + ky·d, ox·s − pad + kx·d, ci], or 0 in the padding. */
function fillTransposedPatches(
  patches: Float32Array,
  x: Float32Array,
  g: backend_util.Conv2DInfo,
  cols: number,
): void {
  const { inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = g;
  const { dilationHeight, dilationWidth, filterHeight, filterWidth } = g;
  const padTop = g.padInfo.top;
  const padLeft = g.padInfo.left;
  for (let ky = 0; ky < filterHeight; ky++) {
    for (let kx = 0; kx < filterWidth; kx++) {
      const rowBase = (ky * filterWidth + kx) * c;
      for (let b = 0; b < g.batchSize; b++) {
        for (let oy = 0; oy < outHeight; oy++) {
          const iy = oy * strideHeight - padTop + ky * dilationHeight;
          const col0 = (b * outHeight + oy) * outWidth;
          if (iy < 0 || iy >= inHeight) {
            for (let ci = 0; ci < c; ci++) patches.fill(0, (rowBase + ci) * cols + col0, (rowBase + ci) * cols + col0 + outWidth);
            continue;
          }
          for (let ox = 0; ox < outWidth; ox++) {
            const ix = ox * strideWidth - padLeft + kx * dilationWidth;
            const col = col0 + ox;
            if (ix < 0 || ix >= inWidth) {
              for (let ci = 0; ci < c; ci++) patches[(rowBase + ci) * cols + col] = 0;
              continue;
            }
            const src = ((b * inHeight + iy) * inWidth + ix) * c;
            for (let ci = 0; ci < c; ci++) patches[(rowBase + ci) * cols + col] = x[src + ci]!;
          }
        }
      }
    }
  }
}
