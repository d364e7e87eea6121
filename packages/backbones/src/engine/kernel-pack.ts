import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { createBatchMatMul } from './batch-mat-mul.js';
import type { KernelCall, StockKernels } from './batch-mat-mul.js';
import { createConv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { createConv2DBackpropInput } from './conv2d-backprop-input.js';
import { createDepthwiseBackpropFilter, createDepthwiseBackpropInput } from './depthwise-conv2d-backprop.js';
import { createUnsortedSegmentSum } from './unsorted-segment-sum.js';
import { createGemm } from './xnn-gemm.js';
import { createZeroCopyCast, createZeroCopyIdentity } from './zero-copy.js';

/** Options of `installWasmKernelPack`. */
export interface WasmKernelPackOptions {
  /**
   * Also replace stock kernels with faster equivalents (BatchMatMul on XNNPACK for transposed and
   * batched operands, GEMM-based Conv2DBackpropInput, zero-copy Identity and Cast). `false` adds only
   * the kernels that training cannot run without. Default `true`.
   */
  readonly speedups?: boolean;
}

/** What `installWasmKernelPack` changed in the kernel registry, and how to undo it. */
export interface InstalledWasmKernelPack {
  /** Kernels the wasm backend did not have. */
  readonly added: readonly string[];
  /** Stock wasm kernels replaced by the pack's versions. */
  readonly replaced: readonly string[];
  /** Restores the registry as it was before this install. */
  uninstall(): void;
}

/**
 * Kernels that tfjs-backend-wasm 4.22 lacks for training: found by running the gradient of every
 * differentiable op the backbones use on wasm (`kernel-pack.test.ts` keeps that list honest).
 */
export const WASM_MISSING_KERNELS: readonly string[] = Object.freeze([
  'Conv2DBackpropFilter',
  'UnsortedSegmentSum',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
]);

/** Stock kernels the pack replaces when `speedups` is on. */
export const WASM_REPLACED_KERNELS: readonly string[] = Object.freeze([
  'BatchMatMul',
  'Conv2DBackpropInput',
  'Identity',
  'Cast',
]);

const BACKEND = 'wasm';
const PACK_MARK = 'cameGradKernelPack';

type MarkedConfig = KernelConfig & { [PACK_MARK]?: true };

/**
 * Registers the training kernels that tfjs-backend-wasm lacks and, by default, faster versions of
 * BatchMatMul, Conv2DBackpropInput, Identity and Cast (see `notes/engine-performance.md`). Call it
 * after `setBackend('wasm')` (`selectBackend` does both). Installing again first uninstalls a
 * previous pack, so the registry never holds two layers of it.
 */
export function installWasmKernelPack(options: WasmKernelPackOptions = {}): InstalledWasmKernelPack {
  const speedups = options.speedups ?? true;
  for (const name of [...WASM_MISSING_KERNELS, ...WASM_REPLACED_KERNELS]) {
    const current = getKernel(name, BACKEND) as MarkedConfig | undefined;
    if (current?.[PACK_MARK] === true) {
      const previous = (current as MarkedConfig & { stock?: KernelConfig }).stock;
      unregisterKernel(name, BACKEND);
      if (previous !== undefined) registerKernel(previous);
    }
  }
  const stockConfig = (name: string): KernelConfig => {
    const config = getKernel(name, BACKEND);
    if (config === undefined) {
      throw new Error(
        `Kernel \`${name}\` should be registered for the wasm backend before the kernel pack is installed. Import '@tensorflow/tfjs-backend-wasm' first.`,
      );
    }
    return config;
  };
  const stockCall = (name: string): KernelCall => stockConfig(name).kernelFunc as unknown as KernelCall;
  const stock: StockKernels = { transpose: stockCall('Transpose'), batchMatMul: stockCall('BatchMatMul') };
  const gemm = createGemm();

  const added: string[] = [];
  const replaced: string[] = [];
  const saved: KernelConfig[] = [];
  const mine: KernelConfig[] = [];
  const put = (name: string, kernel: KernelCall, list: string[]): void => {
    const previous = getKernel(name, BACKEND);
    if (previous !== undefined) {
      saved.push(previous);
      unregisterKernel(name, BACKEND);
    }
    const config: MarkedConfig & { stock?: KernelConfig } = {
      kernelName: name,
      backendName: BACKEND,
      kernelFunc: kernel as unknown as KernelFunc,
      [PACK_MARK]: true,
    };
    // A replaced kernel keeps the stock setup: the stock module-level cwraps are made there.
    if (previous?.setupFunc !== undefined) config.setupFunc = previous.setupFunc;
    if (previous !== undefined) config.stock = previous;
    registerKernel(config);
    mine.push(config);
    list.push(name);
  };

  put('Conv2DBackpropFilter', createConv2DBackpropFilter(gemm), added);
  put('UnsortedSegmentSum', createUnsortedSegmentSum(), added);
  put('DepthwiseConv2dNativeBackpropFilter', createDepthwiseBackpropFilter(), added);
  put('DepthwiseConv2dNativeBackpropInput', createDepthwiseBackpropInput(), added);
  if (speedups) {
    put('BatchMatMul', createBatchMatMul(gemm, stock), replaced);
    put('Conv2DBackpropInput', createConv2DBackpropInput(gemm, stock), replaced);
    put('Identity', createZeroCopyIdentity(stockCall('Identity')), replaced);
    put('Cast', createZeroCopyCast(stockCall('Cast')), replaced);
  }

  return {
    added,
    replaced,
    uninstall(): void {
      // Only this install's own configs: a later install may have replaced them already.
      for (const config of mine) {
        if (getKernel(config.kernelName, BACKEND) === config) unregisterKernel(config.kernelName, BACKEND);
      }
      for (const config of saved) {
        if (getKernel(config.kernelName, BACKEND) === undefined) registerKernel(config);
      }
    },
  };
}
