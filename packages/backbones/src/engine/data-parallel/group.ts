import { Worker } from 'node:worker_threads';
import { allocateSharedState } from './shared-state.js';
import type { AdamHyper } from './shared-adam.js';
import type { ReplicaSpec } from './replica.js';

/** Options of `startReplicaGroup`. */
export interface ReplicaGroupOptions {
  /** The worker module (plain JavaScript); it calls `joinReplicaGroup(workerData.replica, …)` and then `serveReplicaSteps`. */
  readonly worker: string | URL;
  readonly replicas: number;
  /** The model's parameter count. */
  readonly size: number;
  readonly adam?: Partial<AdamHyper>;
  /** Extra data for every worker, as `workerData.user`. */
  readonly user?: unknown;
}

/** The main-thread handle of a data-parallel group. */
export interface ReplicaGroup {
  /** Runs one synchronous training step on every replica; resolves to the mean loss. */
  step(): Promise<number>;
  /** The shared flat parameter vector (read-only use: replicas write it). */
  readonly params: Float32Array;
  close(): Promise<void>;
}

/** Messages between the group and its workers. */
export type ReplicaMessage = { type: 'ready' } | { type: 'stepped'; loss: number } | { type: 'error'; message: string };

/**
 * Starts `replicas` worker threads that train one model data-parallel (see `joinReplicaGroup`)
 * and resolves when all have joined.
 */
export async function startReplicaGroup(options: ReplicaGroupOptions): Promise<ReplicaGroup> {
  const state = allocateSharedState(options.replicas, options.size);
  const workers = Array.from({ length: options.replicas }, (_, rank) => {
    const replica: ReplicaSpec = {
      buffer: state.buffer,
      rank,
      replicas: options.replicas,
      size: options.size,
      ...(options.adam === undefined ? {} : { adam: options.adam }),
    };
    return new Worker(options.worker, { workerData: { replica, user: options.user } });
  });
  const next = (w: Worker): Promise<ReplicaMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: ReplicaMessage): void => {
        w.off('error', onError);
        if (m.type === 'error') reject(new Error(`data-parallel worker failed: ${m.message}`));
        else resolve(m);
      };
      const onError = (e: Error): void => {
        w.off('message', onMessage);
        reject(e);
      };
      w.once('message', onMessage);
      w.once('error', onError);
    });
  // A replica that fails leaves the others blocked at a barrier: stop them all, then report.
  const orAbort = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
  };
  await orAbort(Promise.all(workers.map(next)));
  return {
    params: state.params,
    async step() {
      const replies = workers.map(next);
      for (const w of workers) w.postMessage('step');
      const messages = await orAbort(Promise.all(replies));
      const first = messages[0];
      return first !== undefined && first.type === 'stepped' ? first.loss : Number.NaN;
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
