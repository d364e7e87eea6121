import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelCall } from './batch-mat-mul.js';
import { asWasmBackend, f32View } from './wasm-heap.js';

/**
 * The two gradients of a depthwise convolution, missing from tfjs-backend-wasm 4.22. Direct loops
 * over heap views: a depthwise conv has ~1/C of a dense conv's work, so no GEMM is worth building.
 * out[b, oy, ox, c·M + q] = Σ x[b, iy, ix, c] · W[ky, kx, c, q] with M the channel multiplier.
 */
function geometry(xShape: number[], filterShape: number[], attrs: NamedAttrMap): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs['strides'] as number | [number, number],
    (attrs['dilations'] as number | [number, number] | undefined) ?? 1,
    attrs['pad'] as Parameters<typeof backend_util.computeConv2DInfo>[4],
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    true,
  );
}

/** Calls `visit(xIndex, filterIndex, dyIndex)` for every product of the convolution. */
function forEachTap(g: backend_util.Conv2DInfo, visit: (xi: number, wi: number, di: number) => void): void {
  const c = g.inChannels;
  const mult = g.outChannels / c;
  for (let b = 0; b < g.batchSize; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ky = 0; ky < g.filterHeight; ky++) {
        const iy = oy * g.strideHeight - g.padInfo.top + ky * g.dilationHeight;
        if (iy < 0 || iy >= g.inHeight) continue;
        for (let ox = 0; ox < g.outWidth; ox++) {
          const di0 = ((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels;
          for (let kx = 0; kx < g.filterWidth; kx++) {
            const ix = ox * g.strideWidth - g.padInfo.left + kx * g.dilationWidth;
            if (ix < 0 || ix >= g.inWidth) continue;
            const xi0 = ((b * g.inHeight + iy) * g.inWidth + ix) * c;
            const wi0 = (ky * g.filterWidth + kx) * c * mult;
            for (let ci = 0; ci < c; ci++) {
              for (let q = 0; q < mult; q++) visit(xi0 + ci, wi0 + ci * mult + q, di0 + ci * mult + q);
            }
          }
        }
      }
    }
  }
}

/** DepthwiseConv2dNativeBackpropFilter: dW = Σ x · dy over batch and output positions. */
export function createDepthwiseBackpropFilter(): KernelCall {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs ?? {};
    const filterShape = attrs['filterShape'] as number[];
    const g = geometry(x.shape, filterShape, attrs);
    const backend = asWasmBackend(args.backend);
    const out = backend.makeOutput([...filterShape], 'float32');
    const dw = f32View(backend, out);
    const xv = f32View(backend, x);
    const dyv = f32View(backend, dy);
    dw.fill(0);
    forEachTap(g, (xi, wi, di) => {
      dw[wi]! += xv[xi]! * dyv[di]!;
    });
    return out;
  };
}

/** DepthwiseConv2dNativeBackpropInput: dx = Σ W · dy scattered back onto the input positions. */
export function createDepthwiseBackpropInput(): KernelCall {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs ?? {};
    const inputShape = attrs['inputShape'] as number[];
    const g = geometry(inputShape, filter.shape, attrs);
    const backend = asWasmBackend(args.backend);
    const out = backend.makeOutput([...inputShape], 'float32');
    const dx = f32View(backend, out);
    const wv = f32View(backend, filter);
    const dyv = f32View(backend, dy);
    dx.fill(0);
    forEachTap(g, (xi, wi, di) => {
      dx[xi]! += wv[wi]! * dyv[di]!;
    });
    return out;
  };
}
