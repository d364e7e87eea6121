/**
 * Per-kernel time of one reference-model step on wasm with the kernel pack (tf.profile), summed by
 * kernel name: where the remaining time goes.
 *
 *   node bench/run-perf.mjs --profile
 */
import * as tf from '@tensorflow/tfjs-core';
import { installWasmKernelPack } from '../src/engine/kernel-pack.js';
import { createReferenceModel, REFERENCE_CONFIG, referenceBatch } from '../src/engine/reference-model.js';
import { selectBackend } from '../src/engine/select-backend.js';

/** Prints the kernels of one step, heaviest first, for the stock and the pack configuration. */
export async function profileKernels(): Promise<void> {
  await selectBackend('wasm', { kernelPack: false });
  for (const speedups of [false, true]) {
    installWasmKernelPack({ speedups });
    const model = createReferenceModel(REFERENCE_CONFIG, 1, speedups ? 'p' : 's');
    const batch = referenceBatch(REFERENCE_CONFIG);
    const optimizer = tf.train.adam(1e-3);
    const step = (): void => {
      const loss = optimizer.minimize(() => model.loss(batch), true, [...model.variables]);
      loss!.dataSync();
      loss!.dispose();
    };
    step();
    step();
    const t0 = performance.now();
    const info = await tf.profile(step);
    const wall = performance.now() - t0;
    const byName = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      e.calls += 1;
      byName.set(k.name, e);
    }
    const total = [...byName.values()].reduce((a, e) => a + e.ms, 0);
    process.stdout.write(
      `${speedups ? 'pack' : 'stock'}: wall ${wall.toFixed(0)} ms (profiled), kernels ${total.toFixed(0)} ms, ${info.kernels.length} calls\n`,
    );
    for (const [name, e] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
      process.stdout.write(`  ${name.padEnd(24)} ${e.ms.toFixed(1).padStart(7)} ms  ${String(e.calls).padStart(5)} calls\n`);
    }
    optimizer.dispose();
    model.dispose();
  }
}
