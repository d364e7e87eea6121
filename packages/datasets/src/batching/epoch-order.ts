/**
 * The sample order of an epoch and the batch plan that walks it. The order is a pure function of
 * (seed, epoch), so a run resumed from a cursor {epoch, position} sees exactly the batches it
 * would have seen without the interruption. Only one epoch's permutation (4 bytes a sample) is
 * held at a time.
 */
import { CursorError } from '../errors.js';
import { createRandom, deriveSeed } from '../random/seeded-random.js';
import type { BatchCursor } from '../train-batch.js';

/** The sample indices of one epoch: a seeded Fisher–Yates shuffle, or 0 … n−1 unshuffled. */
export function epochOrder(n: number, seed: number, epoch: number, shuffle: boolean): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!shuffle) return order;
  const rng = createRandom(deriveSeed(seed, epoch, 0x5eed));
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/** One planned batch: which samples, where it starts, and the cursor after it. */
export interface PlannedBatch {
  readonly epoch: number;
  /** Position in the epoch of the first sample. */
  readonly start: number;
  readonly indices: Uint32Array;
  readonly next: BatchCursor;
}

/** Options of {@link planBatches}. */
export interface PlanOptions {
  readonly n: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** Stop before this epoch (exclusive). `Infinity` for an endless stream. */
  readonly endEpoch: number;
  readonly cursor: BatchCursor;
}

/** Checks that a cursor fits a split of `n` samples. */
export function validateCursor(cursor: unknown, n: number): BatchCursor {
  if (typeof cursor !== 'object' || cursor === null) throw new CursorError('epoch', 'an object {epoch, position}', cursor);
  const { epoch, position } = cursor as Record<string, unknown>;
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0) throw new CursorError('epoch', 'an integer ≥ 0', epoch);
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position > n) {
    throw new CursorError('position', `an integer in [0, ${n}] (the split's size)`, position);
  }
  return { epoch, position };
}

/** Yields the batches from `cursor` on, epoch after epoch, until `endEpoch`. */
export function* planBatches(o: PlanOptions): Generator<PlannedBatch> {
  let { epoch, position } = o.cursor;
  while (epoch < o.endEpoch && o.n > 0) {
    const order = epochOrder(o.n, o.seed, epoch, o.shuffle);
    while (position < o.n) {
      const end = Math.min(o.n, position + o.batchSize);
      if (o.dropLast && end - position < o.batchSize) break;
      const atEnd = end >= o.n || (o.dropLast && o.n - end < o.batchSize);
      yield {
        epoch,
        start: position,
        indices: order.slice(position, end),
        next: atEnd ? { epoch: epoch + 1, position: 0 } : { epoch, position: end },
      };
      position = end;
    }
    epoch++;
    position = 0;
  }
}
