import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-task gradient blocks: `blocks[v][i]` is task i's gradient of block v (a variable, or the
 * shared features in representation mode), or `undefined` where task i does not reach block v
 * (an implicit zero row segment).
 */
export type TaskBlocks = readonly (readonly (tf.Tensor | undefined)[])[];

/** The Gram matrix of K per-task gradients built on the tensor backend. */
export interface DeviceGram {
  /** Row-major K×K M = G Gᵀ in float64, or `null` when a gradient entry is NaN or ±Infinity. */
  readonly data: Float64Array | null;
  /** max_i,d |g_i[d]| (NaN when non-finite); the diagnostic behind the prescale decision. */
  readonly maxAbs: number;
  /** The power of two 2^k every gradient was multiplied by before squaring (1 when none was needed). */
  readonly prescale: number;
}

/**
 * Dot products are formed in float32 over chunks of this many entries and summed in float64 in JS:
 * the float32 rounding of one chunk's sum stays near 1e-7·√CHUNK relative however large a variable
 * is, which keeps M within the 1e-5 float32 tolerance of came-grad.md §6 for multi-million entry layers.
 */
const CHUNK = 4096;

/**
 * Safe range of max|g| for squaring in float32: squares of 2^±40 (2^±80) and sums of up to 2^30 of
 * them stay normal, far from float32's 2^±126. Outside it every gradient is prescaled by one common
 * power of two (exact, so scale equivariance is untouched; came-grad.md §6).
 */
const SAFE_LOG2 = 40;

/**
 * Builds M = G Gᵀ over the concatenation of `blocks` (each of the K rows is the flattened
 * per-block gradients, zero where undefined). Only J·Jᵀ runs on the device: one chunked
 * batched matMul per block, then a single read-back of every partial K×K product, accumulated
 * in float64. Returns `data: null` when a gradient is non-finite (the caller skips the step).
 */
export function deviceGram(blocks: TaskBlocks, K: number): DeviceGram {
  const first = readPartials(blocks, K, 1);
  if (!Number.isFinite(first.maxAbs)) return { data: null, maxAbs: first.maxAbs, prescale: 1 };
  if (first.maxAbs === 0) return { data: first.data, maxAbs: 0, prescale: 1 };
  const log2 = Math.log2(first.maxAbs);
  // In the safe range a non-finite M can only come from a NaN entry (which max|g| may not see).
  if (Math.abs(log2) <= SAFE_LOG2) return { data: first.data, maxAbs: first.maxAbs, prescale: 1 };
  // Rare path: gradients so large that squares overflow float32 (or so small that they underflow).
  const prescale = 2 ** -Math.round(log2);
  const second = readPartials(blocks, K, prescale);
  if (second.data === null) return { data: null, maxAbs: first.maxAbs, prescale };
  const unscale = 1 / (prescale * prescale);
  for (let t = 0; t < second.data.length; t++) second.data[t] = (second.data[t] as number) * unscale;
  return { data: second.data, maxAbs: first.maxAbs, prescale };
}

interface Partials {
  readonly data: Float64Array | null;
  readonly maxAbs: number;
}

function readPartials(blocks: TaskBlocks, K: number, scale: number): Partials {
  const present: number[][] = [];
  const chunkCounts: number[] = [];
  if (blocks.every((block) => block.every((g) => g === undefined))) return { data: new Float64Array(K * K), maxAbs: 0 };
  const flat = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    const maxes: tf.Tensor[] = [];
    for (const block of blocks) {
      const tasks: number[] = [];
      const rows: tf.Tensor[] = [];
      block.forEach((g, i) => {
        if (g === undefined) return;
        tasks.push(i);
        const row = tf.reshape(g, [-1]);
        rows.push(scale === 1 ? row : tf.mul(row, tf.scalar(scale)));
      });
      if (rows.length === 0) continue;
      const J = tf.stack(rows); // [P, n]
      const [P, n] = J.shape as [number, number];
      present.push(tasks);
      maxes.push(tf.max(tf.abs(J)));
      const chunks = Math.ceil(n / CHUNK);
      chunkCounts.push(chunks);
      if (chunks === 1) {
        parts.push(tf.reshape(tf.matMul(J, J, false, true), [-1]));
      } else {
        const padded = chunks * CHUNK === n ? J : tf.pad(J, [[0, 0], [0, chunks * CHUNK - n]]);
        const batched = tf.transpose(tf.reshape(padded, [P, chunks, CHUNK]), [1, 0, 2]); // [c, P, CHUNK]
        parts.push(tf.reshape(tf.matMul(batched, batched, false, true), [-1]));
      }
    }
    return tf.concat([...parts, tf.stack(maxes)]);
  });
  const values = flat.dataSync();
  flat.dispose();
  const M = new Float64Array(K * K);
  let offset = 0;
  for (let b = 0; b < present.length; b++) {
    const tasks = present[b] as number[];
    const P = tasks.length;
    const chunks = chunkCounts[b] as number;
    for (let c = 0; c < chunks; c++) {
      for (let a = 0; a < P; a++) {
        const ta = tasks[a] as number;
        for (let bb = a; bb < P; bb++) {
          const tb = tasks[bb] as number;
          const v = values[offset + a * P + bb] as number;
          M[ta * K + tb] = (M[ta * K + tb] as number) + v;
        }
      }
      offset += P * P;
    }
  }
  let maxAbs = 0;
  for (let b = 0; b < present.length; b++) {
    const m = values[offset + b] as number;
    // NaN compares false everywhere: record it explicitly so that it is never lost in Math.max.
    if (Number.isNaN(m)) maxAbs = Number.NaN;
    else if (!Number.isNaN(maxAbs)) maxAbs = Math.max(maxAbs, m);
  }
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) M[j * K + i] = M[i * K + j] as number;
  }
  for (let t = 0; t < M.length; t++) if (!Number.isFinite(M[t])) return { data: null, maxAbs };
  return { data: M, maxAbs };
}
