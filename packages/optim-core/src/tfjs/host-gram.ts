import * as tf from '@tensorflow/tfjs-core';
import type { DeviceGram, TaskBlocks } from './device-gram';

/**
 * True when the active backend keeps tensors in host memory (`cpu`, and `wasm`, whose heap is an
 * ArrayBuffer): then reading a gradient is a copy at most, and M, the finiteness probe, the norm
 * and Σ c_i g_i are cheaper as one JS pass over the values than as five small kernels a variable.
 */
export function backendIsHost(): boolean {
  const name = tf.getBackend();
  return name === 'cpu' || name === 'wasm';
}

/** `blocks[v][i]` read back once: the values of task i's gradient of block v, or `undefined`. */
export type HostBlocks = readonly (readonly (Float32Array | undefined)[])[];

/** Reads every present gradient once (`dataSync`; a view on cpu, a copy of the heap slice on wasm). */
export function readBlocks(blocks: TaskBlocks): HostBlocks {
  return blocks.map((block) => block.map((g) => (g === undefined ? undefined : (g.dataSync() as Float32Array))));
}

/**
 * M = G Gᵀ over `blocks` (K tasks), every product and sum in float64: float32 entries cannot
 * overflow when squared in float64, so no prescale is ever needed (it is reported as 1).
 * `data` is `null` when an entry is NaN or ±Infinity.
 */
export function hostGram(blocks: HostBlocks, K: number): DeviceGram {
  const M = new Float64Array(K * K);
  let maxAbs = 0;
  let finite = true;
  for (const block of blocks) {
    const tasks: number[] = [];
    block.forEach((g, i) => {
      if (g !== undefined) tasks.push(i);
    });
    for (let a = 0; a < tasks.length; a++) {
      const ia = tasks[a] as number;
      const ga = block[ia] as Float32Array;
      for (let b = a; b < tasks.length; b++) {
        const ib = tasks[b] as number;
        const gb = block[ib] as Float32Array;
        let s = 0;
        if (a === b) {
          for (let j = 0; j < ga.length; j++) {
            const x = ga[j] as number;
            s += x * x;
            const ax = x < 0 ? -x : x;
            if (ax > maxAbs) maxAbs = ax;
          }
        } else {
          for (let j = 0; j < ga.length; j++) s += (ga[j] as number) * (gb[j] as number);
        }
        M[ia * K + ib] = (M[ia * K + ib] as number) + s;
      }
    }
  }
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) M[j * K + i] = M[i * K + j] as number;
  // A NaN entry escapes the max (comparisons with NaN are false) but not the sum of squares.
  for (const m of M) if (!Number.isFinite(m)) finite = false;
  return finite ? { data: M, maxAbs, prescale: 1 } : { data: null, maxAbs: Number.NaN, prescale: 1 };
}

/** Σ_i c_i g_i per block as new tensors, with the global norm and finiteness of the result. */
export interface HostCombination {
  readonly grads: (tf.Tensor | undefined)[];
  readonly norm: number;
  readonly finite: boolean;
}

/**
 * Forms Σ_i c_i g_i for every block in one JS pass (sum in float64, rounded once to float32) and
 * measures the result's squared norm and finiteness in the same pass, so that the final
 * gradients need no probe kernels. `coefficientsOf(v)` gives block v's K coefficients.
 */
export function hostCombine(blocks: HostBlocks, shapes: readonly (readonly number[])[], coefficientsOf: (v: number) => Float64Array): HostCombination {
  let sumSq = 0;
  let finite = true;
  const grads = blocks.map((block, v) => {
    const c = coefficientsOf(v);
    const terms: { g: Float32Array; c: number }[] = [];
    block.forEach((g, i) => {
      if (g !== undefined) terms.push({ g, c: c[i] as number });
    });
    if (terms.length === 0) return undefined;
    const n = (terms[0] as { g: Float32Array }).g.length;
    const out = new Float32Array(n);
    const t0 = terms[0] as { g: Float32Array; c: number };
    if (terms.length === 1) {
      for (let j = 0; j < n; j++) out[j] = t0.c * (t0.g[j] as number);
    } else if (terms.length === 2) {
      const t1 = terms[1] as { g: Float32Array; c: number };
      for (let j = 0; j < n; j++) out[j] = t0.c * (t0.g[j] as number) + t1.c * (t1.g[j] as number);
    } else {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (const t of terms) s += t.c * (t.g[j] as number);
        out[j] = s;
      }
    }
    let ss = 0;
    for (let j = 0; j < n; j++) ss += (out[j] as number) * (out[j] as number);
    if (!Number.isFinite(ss)) finite = false;
    sumSq += ss;
    return tf.tensor(out, shapes[v] as number[], 'float32');
  });
  return { grads, norm: Math.sqrt(sumSq), finite };
}

/** The global L2 norm (float64) and finiteness of `grads`, from one read of each (no kernels). */
export function hostMeasure(grads: readonly (tf.Tensor | undefined)[]): { readonly finite: boolean; readonly norm: number } {
  let sumSq = 0;
  for (const g of grads) {
    if (g === undefined) continue;
    const x = g.dataSync() as Float32Array;
    for (let j = 0; j < x.length; j++) sumSq += (x[j] as number) * (x[j] as number);
  }
  // Σx² in float64 cannot overflow for float32 x, so it is non-finite exactly when an entry is.
  return { finite: Number.isFinite(sumSq), norm: Math.sqrt(sumSq) };
}
