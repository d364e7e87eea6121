import type { MessagePort } from 'node:worker_threads';
import type { PlainBatch } from '../../batch/plain-batch.js';
import type { StepContext } from '../../contract.js';

/** What `startTaskReplica` hands its worker (inside `workerData.taskReplica`). */
export interface TaskReplicaChannel {
  /** Every parameter of the adapter as one float32 vector, in `adapter.parameters` order; the main thread writes it before each request. */
  readonly params: SharedArrayBuffer;
  /** `[sequence]`: the worker stores the number of the request it has answered, then wakes the main thread. */
  readonly control: SharedArrayBuffer;
  /** The port the worker answers on (the main thread reads it synchronously). */
  readonly replies: MessagePort;
}

/** One request: differentiate `tasks` on `batch` at `ctx`, with the weights now in `params`. */
export interface TaskRequest {
  readonly sequence: number;
  readonly batch: PlainBatch;
  readonly ctx: StepContext;
  readonly tasks: readonly string[];
}

/** The worker's parameter layout, checked against the main thread's adapter before the first step. */
export interface ReadyReply {
  readonly type: 'ready';
  readonly parameters: readonly { readonly name: string; readonly shape: readonly number[] }[];
}

/**
 * One answer: `gradients[t][p]` is ∂L_{tasks[t]}/∂(parameter p) for the trainable parameters, `null`
 * where the task does not reach it (and for frozen parameters, and for every entry on a non-finite loss).
 */
export type TaskReply =
  | { readonly type: 'gradients'; readonly sequence: number; readonly gradients: (Float32Array | null)[][] }
  | { readonly type: 'error'; readonly sequence: number; readonly message: string };
