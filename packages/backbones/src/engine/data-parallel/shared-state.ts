/**
 * The SharedArrayBuffer that data-parallel replicas train through: a barrier, one gradient slot per
 * replica, the flat parameter vector, Adam's two moments, and one loss per replica.
 */
export interface SharedTrainingState {
  readonly buffer: SharedArrayBuffer;
  readonly replicas: number;
  readonly size: number;
  /** [arrived, generation] of the barrier. */
  readonly control: Int32Array;
  readonly gradSlots: readonly Float32Array[];
  readonly params: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly losses: Float32Array;
}

const CONTROL_INTS = 4;

/** Allocates the shared state for `replicas` replicas of a model with `size` parameters. */
export function allocateSharedState(replicas: number, size: number): SharedTrainingState {
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`\`replicas\` should be a positive integer. Found ${replicas}.`);
  }
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`\`size\` (parameter count) should be a positive integer. Found ${size}.`);
  }
  return viewSharedState(new SharedArrayBuffer(byteLengthOf(replicas, size)), replicas, size);
}

/** Views an existing buffer (as received by a worker) with the layout of `allocateSharedState`. */
export function viewSharedState(buffer: SharedArrayBuffer, replicas: number, size: number): SharedTrainingState {
  const expected = byteLengthOf(replicas, size);
  if (buffer.byteLength !== expected) {
    throw new Error(
      `\`buffer\` should hold ${expected} bytes for ${replicas} replicas of ${size} parameters. Found ${buffer.byteLength}.`,
    );
  }
  const control = new Int32Array(buffer, 0, CONTROL_INTS);
  let offset = CONTROL_INTS * 4;
  const take = (n: number): Float32Array => {
    const view = new Float32Array(buffer, offset, n);
    offset += n * 4;
    return view;
  };
  const gradSlots = Array.from({ length: replicas }, () => take(size));
  const params = take(size);
  const m = take(size);
  const v = take(size);
  const losses = take(replicas);
  return { buffer, replicas, size, control, gradSlots, params, m, v, losses };
}

function byteLengthOf(replicas: number, size: number): number {
  return CONTROL_INTS * 4 + (replicas * size + 3 * size + replicas) * 4;
}

/**
 * Blocks until all `parties` threads have called it for the current generation (a reusable
 * generation barrier on Atomics; the last arrival resets the count and wakes the others).
 */
export function barrierWait(control: Int32Array, parties: number): void {
  const generation = Atomics.load(control, 1);
  if (Atomics.add(control, 0, 1) === parties - 1) {
    Atomics.store(control, 0, 0);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
    return;
  }
  while (Atomics.load(control, 1) === generation) Atomics.wait(control, 1, generation);
}

/** The index range of the flat parameter vector that replica `rank` updates. */
export function rangeOf(rank: number, replicas: number, size: number): [number, number] {
  const chunk = Math.ceil(size / replicas);
  return [Math.min(size, rank * chunk), Math.min(size, (rank + 1) * chunk)];
}
