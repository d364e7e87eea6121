import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelCall } from './batch-mat-mul.js';
import { convGeometry } from './conv-geometry.js';

/** The part of tfjs-backend-cpu's MathBackendCPU these kernels use: host arrays in, a new tensor out. */
interface CpuBackend {
  readonly data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function valuesOf(backend: unknown, t: TensorInfo, kernel: string): Float32Array {
  const values = (backend as CpuBackend).data.get(t.dataId).values;
  if (!(values instanceof Float32Array)) {
    throw new Error(`\`${kernel}\` inputs should be float32 tensors on the cpu backend. Found ${t.dtype}.`);
  }
  return values;
}

/**
 * The (output position, filter tap) pairs of one image whose input position lies inside it, in
 * the order oy, ox, ky, kx, as triples: the offset of the dy row `[oc]`, of the input row `[c]` it
 * was read from, and of the filter block `[c, oc]` of that tap (image b adds b times the image's
 * size to the first two). Both gradients walk the forward convolution's reads in this one order,
 * so their float64 sums accumulate in a fixed order; a table rather than a callback keeps each
 * kernel's inner loops monomorphic, and one image's table keeps it small.
 */
function tapOffsets(g: ReturnType<typeof convGeometry>): Int32Array {
  const { inHeight, inWidth, inChannels: c, outHeight, outWidth, outChannels: oc, strideHeight, strideWidth, filterHeight, filterWidth } = g;
  const taps = new Int32Array(3 * outHeight * outWidth * filterHeight * filterWidth);
  let n = 0;
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const dyBase = (oy * outWidth + ox) * oc;
      for (let ky = 0; ky < filterHeight; ky++) {
        const iy = oy * strideHeight - g.padInfo.top + ky;
        if (iy < 0 || iy >= inHeight) continue;
        for (let kx = 0; kx < filterWidth; kx++) {
          const ix = ox * strideWidth - g.padInfo.left + kx;
          if (ix < 0 || ix >= inWidth) continue;
          taps[n++] = dyBase;
          taps[n++] = (iy * inWidth + ix) * c;
          taps[n++] = (ky * filterWidth + kx) * c * oc;
        }
      }
    }
  }
  return taps.subarray(0, n);
}

/** Elements per image of the input (and of dx) and of dy. */
function imageSizes(g: ReturnType<typeof convGeometry>): { xImage: number; dyImage: number } {
  return { xImage: g.inHeight * g.inWidth * g.inChannels, dyImage: g.outHeight * g.outWidth * g.outChannels };
}

/**
 * Conv2DBackpropFilter for the cpu backend: dW[ky, kx, ci, o] = Σ_{b, oy, ox} x[b, iy, ix, ci]·dy[b, oy, ox, o]
 * as plain loops over the typed arrays, innermost over the contiguous output channels, summed in
 * float64. The stock cpu kernel reads every element through TensorBuffer.get (seconds per step on
 * a small CNN).
 */
export function createCpuConv2DBackpropFilter(): KernelCall {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs ?? {};
    const g = convGeometry(x.shape, attrs['filterShape'] as [number, number, number, number], attrs, 'Conv2DBackpropFilter');
    const xv = valuesOf(args.backend, x, 'Conv2DBackpropFilter');
    const dyv = valuesOf(args.backend, dy, 'Conv2DBackpropFilter');
    const { inChannels: c, outChannels: oc, filterHeight, filterWidth } = g;
    const { xImage, dyImage } = imageSizes(g);
    const acc = new Float64Array(filterHeight * filterWidth * c * oc);
    const taps = tapOffsets(g);
    for (let b = 0; b < g.batch; b++) {
      for (let i = 0; i < taps.length; i += 3) {
        const dyBase = b * dyImage + (taps[i] as number);
        const xBase = b * xImage + (taps[i + 1] as number);
        const wBase = taps[i + 2] as number;
        for (let ci = 0; ci < c; ci++) {
          const xval = xv[xBase + ci] as number;
          if (xval === 0) continue;
          const row = wBase + ci * oc;
          for (let o = 0; o < oc; o++) acc[row + o] = (acc[row + o] as number) + xval * (dyv[dyBase + o] as number);
        }
      }
    }
    return (args.backend as unknown as CpuBackend).makeTensorInfo([filterHeight, filterWidth, c, oc], 'float32', Float32Array.from(acc));
  };
}

/**
 * Conv2DBackpropInput for the cpu backend: every output position's dy row is multiplied by the
 * filter and added onto the input positions it was read from (col2im), summed in float64.
 */
export function createCpuConv2DBackpropInput(): KernelCall {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs ?? {};
    const inputShape = attrs['inputShape'] as [number, number, number, number];
    const g = convGeometry(inputShape, filter.shape as [number, number, number, number], attrs, 'Conv2DBackpropInput');
    const dyv = valuesOf(args.backend, dy, 'Conv2DBackpropInput');
    const wv = valuesOf(args.backend, filter, 'Conv2DBackpropInput');
    const { inChannels: c, outChannels: oc } = g;
    const { xImage, dyImage } = imageSizes(g);
    const acc = new Float64Array(g.batch * xImage);
    const taps = tapOffsets(g);
    for (let b = 0; b < g.batch; b++) {
      for (let i = 0; i < taps.length; i += 3) {
        const dyBase = b * dyImage + (taps[i] as number);
        const dxBase = b * xImage + (taps[i + 1] as number);
        const wBase = taps[i + 2] as number;
        for (let ci = 0; ci < c; ci++) {
          const row = wBase + ci * oc;
          let s = 0;
          for (let o = 0; o < oc; o++) s += (wv[row + o] as number) * (dyv[dyBase + o] as number);
          acc[dxBase + ci] = (acc[dxBase + ci] as number) + s;
        }
      }
    }
    return (args.backend as unknown as CpuBackend).makeTensorInfo([...inputShape], 'float32', Float32Array.from(acc));
  };
}
