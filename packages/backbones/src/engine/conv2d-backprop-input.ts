import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelCall, StockKernels } from './batch-mat-mul.js';
import { convGeometry } from './conv-geometry.js';
import { asWasmBackend, f32View } from './wasm-heap.js';
import type { Gemm } from './xnn-gemm.js';
import { operandOf } from './xnn-gemm.js';

/**
 * Conv2DBackpropInput as one XNNPACK GEMM and a col2im scatter: dcols [n·oh·ow, fh·fw·c] =
 * dy [n·oh·ow, oc] · Wᵀ [oc, fh·fw·c], then every patch row is added back onto the input positions it
 * was read from. The stock wasm kernel is a scalar loop nest.
 */
export function createConv2DBackpropInput(gemm: Gemm, stock: StockKernels): KernelCall {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs ?? {};
    const inputShape = attrs['inputShape'] as [number, number, number, number];
    const g = convGeometry(
      inputShape,
      filter.shape as [number, number, number, number],
      attrs,
      'Conv2DBackpropInput',
    );
    const backend = asWasmBackend(args.backend);
    const patchLen = g.filterHeight * g.filterWidth * g.inChannels;
    const positions = g.batch * g.outHeight * g.outWidth;
    const filterView: TensorInfo = { dataId: filter.dataId, shape: [patchLen, g.outChannels], dtype: 'float32' };
    const filterT = stock.transpose({ inputs: { x: filterView }, backend, attrs: { perm: [1, 0] } }) as TensorInfo;
    const dcols = backend.makeOutput([positions, patchLen], 'float32');
    const dx = backend.makeOutput([...inputShape], 'float32');
    try {
      gemm(backend, operandOf(backend, dy), operandOf(backend, filterT), operandOf(backend, dcols), {
        m: positions,
        k: g.outChannels,
        n: patchLen,
      });
      scatterPatches(f32View(backend, dx), f32View(backend, dcols), g);
    } finally {
      backend.disposeData(filterT.dataId);
      backend.disposeData(dcols.dataId);
    }
    return dx;
  };
}

function scatterPatches(dx: Float32Array, dcols: Float32Array, g: ReturnType<typeof convGeometry>): void {
  const { inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = g;
  const { dilationHeight, dilationWidth, filterHeight, filterWidth } = g;
  const padTop = g.padInfo.top;
  const padLeft = g.padInfo.left;
  const patchLen = filterHeight * filterWidth * c;
  // makeOutput does not clear memory, and this tensor is accumulated into.
  dx.fill(0);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const row = ((b * outHeight + oy) * outWidth + ox) * patchLen;
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = oy * strideHeight - padTop + ky * dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ox * strideWidth - padLeft + kx * dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const dst = ((b * inHeight + iy) * inWidth + ix) * c;
            const src = row + (ky * filterWidth + kx) * c;
            for (let ci = 0; ci < c; ci++) dx[dst + ci]! += dcols[src + ci]!;
          }
        }
      }
    }
  }
}
