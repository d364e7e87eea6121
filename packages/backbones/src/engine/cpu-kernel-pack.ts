import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { createCpuConv2DBackpropFilter, createCpuConv2DBackpropInput } from './cpu-conv-backprop.js';
import type { KernelCall } from './batch-mat-mul.js';
import type { InstalledWasmKernelPack } from './kernel-pack.js';

/** Stock tfjs-backend-cpu kernels that `installCpuKernelPack` replaces. */
export const CPU_REPLACED_KERNELS: readonly string[] = Object.freeze(['Conv2DBackpropFilter', 'Conv2DBackpropInput']);

const BACKEND = 'cpu';
const PACK_MARK = 'cameGradCpuKernelPack';
type MarkedConfig = KernelConfig & { [PACK_MARK]?: true; stock?: KernelConfig };

/**
 * Replaces tfjs-backend-cpu's convolution gradients (which read every element through
 * TensorBuffer.get) with loops over the typed arrays: the same sums, in float64. Call it after the
 * cpu backend is registered (`selectBackend` does it). Installing again replaces the previous layer.
 * Returns what changed and `uninstall()`, in the shape of the wasm pack's result.
 */
export function installCpuKernelPack(): InstalledWasmKernelPack {
  for (const name of CPU_REPLACED_KERNELS) {
    const current = getKernel(name, BACKEND) as MarkedConfig | undefined;
    if (current?.[PACK_MARK] === true) {
      unregisterKernel(name, BACKEND);
      if (current.stock !== undefined) registerKernel(current.stock);
    }
  }
  const saved: KernelConfig[] = [];
  const mine: KernelConfig[] = [];
  const put = (name: string, kernel: KernelCall): void => {
    const previous = getKernel(name, BACKEND);
    if (previous === undefined) {
      throw new Error(`Kernel \`${name}\` should be registered for the cpu backend before the cpu kernel pack is installed. Import '@tensorflow/tfjs-backend-cpu' first.`);
    }
    saved.push(previous);
    unregisterKernel(name, BACKEND);
    const config: MarkedConfig = { kernelName: name, backendName: BACKEND, kernelFunc: kernel as unknown as KernelFunc, [PACK_MARK]: true, stock: previous };
    registerKernel(config);
    mine.push(config);
  };
  put('Conv2DBackpropFilter', createCpuConv2DBackpropFilter());
  put('Conv2DBackpropInput', createCpuConv2DBackpropInput());
  return {
    added: [],
    replaced: [...CPU_REPLACED_KERNELS],
    uninstall(): void {
      for (const config of mine) {
        if (getKernel(config.kernelName, BACKEND) === config) unregisterKernel(config.kernelName, BACKEND);
      }
      for (const config of saved) {
        if (getKernel(config.kernelName, BACKEND) === undefined) registerKernel(config);
      }
    },
  };
}
