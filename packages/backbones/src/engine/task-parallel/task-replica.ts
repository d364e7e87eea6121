import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { RemoteTaskGradients } from '@came-grad/optim-core/tfjs';
import type { BackboneAdapter, StepContext, TrainBatch } from '../../contract.js';
import { writeFlat } from '../flat-variables.js';
import { plainOf } from './plain-of.js';
import type { ReadyReply, TaskReplicaChannel, TaskReply, TaskRequest } from './protocol.js';

/** Options of {@link startTaskReplica}. */
export interface TaskReplicaOptions {
  /**
   * The worker module (plain JavaScript). It builds an adapter identical to `adapter` (same
   * backbone, configuration and corpus preparation) and calls `serveTaskReplica(adapter)`.
   */
  readonly worker: string | URL;
  /** Extra data for the worker, as `workerData.user`. */
  readonly user?: unknown;
  /** The main thread's adapter; its weights are copied to the worker before every request. */
  readonly adapter: BackboneAdapter;
  /** How long `collect` waits for an answer before it gives up (default 10 minutes). */
  readonly timeoutMs?: number;
}

/** The main thread's handle of a task replica. */
export interface TaskReplica {
  /**
   * Copies the current weights to the worker and starts the gradients of `remoteTasks` on `batch`
   * at `ctx`. `stepTasks` are the names of the step's K losses, in order: the result's `tasks`
   * index into them. Pass it to `MultiTaskOptimizer.step(…, { remote })`, which collects it.
   */
  begin(batch: TrainBatch, ctx: StepContext, remoteTasks: readonly string[], stepTasks: readonly string[]): RemoteTaskGradients;
  close(): Promise<void>;
}

/**
 * Starts a worker thread that holds a second replica of `adapter` and differentiates some tasks
 * while this thread differentiates the others: with two cores, the second task's backward pass
 * costs no wall time. Weights travel through shared memory before every request; the worker answers
 * with the per-task gradients, which equal those of a local backward pass bit for bit (same
 * weights, same batch, same step context, and an adapter whose forward under `only` matches the
 * full pass). Adapters with per-step state (`commitState`) are refused: the replica cannot mirror it.
 */
export async function startTaskReplica(options: TaskReplicaOptions): Promise<TaskReplica> {
  const { adapter } = options;
  if (adapter.commitState !== undefined) {
    throw new Error(`Task parallelism needs a backbone without per-step state; \`${adapter.name}\` commits state after every step (commitState).`);
  }
  const parameters = adapter.parameters;
  const size = parameters.reduce((n, p) => n + p.variable.size, 0);
  const params = new Float32Array(new SharedArrayBuffer(size * 4));
  const control = new Int32Array(new SharedArrayBuffer(4));
  const { port1: replies, port2 } = new MessageChannel();
  const channel: TaskReplicaChannel = { params: params.buffer as SharedArrayBuffer, control: control.buffer as SharedArrayBuffer, replies: port2 };
  const worker = new Worker(options.worker, { workerData: { taskReplica: channel, user: options.user }, transferList: [port2] });
  const ready = await new Promise<ReadyReply>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The task replica worker exited with code ${code} before it was ready.`)));
    replies.once('message', (m: ReadyReply | TaskReply) => {
      if (m.type === 'ready') resolve(m);
      else reject(new Error(`The task replica failed to start: ${m.type === 'error' ? m.message : m.type}`));
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    replies.close();
    throw error;
  });
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  // A failure after start-up surfaces as an error answer or as a timeout in `collect`.
  worker.on('error', () => {});
  const mismatch = layoutMismatch(adapter, ready);
  if (mismatch !== null) {
    await worker.terminate();
    replies.close();
    throw new Error(`The task replica's \`${adapter.name}\` differs from this thread's: ${mismatch}`);
  }
  const timeoutMs = options.timeoutMs ?? 600_000;
  const variables = parameters.map((p) => p.variable);
  const column = new Map(variables.map((v, i) => [v, i]));
  let sequence = 0;
  let pending: number | null = null;

  const wait = (expected: number): TaskReply => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(control, 0);
      if (seen === expected) {
        // The answer is posted before the sequence is stored, so it is already queued on the port.
        const got = receiveMessageOnPort(replies);
        if (got !== undefined) return got.message as TaskReply;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`The task replica did not answer request ${expected} within ${timeoutMs} ms.`);
      Atomics.wait(control, 0, seen, Math.min(left, seen === expected ? 1 : 1000));
    }
  };

  return {
    begin(batch, ctx, remoteTasks, stepTasks) {
      if (pending !== null) wait(pending);
      const indices = remoteTasks.map((name) => {
        const i = stepTasks.indexOf(name);
        if (i < 0) throw new Error(`Remote task \`${name}\` is not among the step's tasks (${stepTasks.join(', ')}).`);
        return i;
      });
      writeFlat(variables, params);
      sequence += 1;
      const mine = sequence;
      pending = mine;
      const request: TaskRequest = { sequence: mine, batch: plainOf(batch), ctx, tasks: [...remoteTasks] };
      worker.postMessage(request);
      return {
        tasks: indices,
        collect(xs) {
          const reply = wait(mine);
          pending = null;
          if (reply.type === 'error') throw new Error(`The task replica failed at step ${ctx.step}: ${reply.message}`);
          return reply.gradients.map((row) => xs.map((x) => {
            const i = column.get(x);
            if (i === undefined) throw new Error(`Variable "${x.name}" is not a parameter of \`${adapter.name}\`.`);
            const g = row[i];
            return g === null || g === undefined ? undefined : tf.tensor(g, x.shape, 'float32');
          }));
        },
      };
    },
    async close() {
      replies.close();
      await worker.terminate();
    },
  };
}

function layoutMismatch(adapter: BackboneAdapter, ready: ReadyReply): string | null {
  const mine = adapter.parameters;
  if (mine.length !== ready.parameters.length) return `${ready.parameters.length} parameters, expected ${mine.length}`;
  for (let i = 0; i < mine.length; i++) {
    const a = mine[i]!;
    const b = ready.parameters[i]!;
    if (a.name !== b.name || a.variable.shape.join(',') !== b.shape.join(',')) {
      return `parameter ${i} is "${b.name}" [${b.shape.join(', ')}], expected "${a.name}" [${a.variable.shape.join(', ')}]`;
    }
  }
  return null;
}
