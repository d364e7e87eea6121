import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { taskGradients } from '@came-grad/optim-core/tfjs';
import { disposeBatch, toTrainBatch } from '../../batch/to-train-batch.js';
import type { BackboneAdapter } from '../../contract.js';
import { assignFlat } from '../flat-variables.js';
import type { ReadyReply, TaskReplicaChannel, TaskReply, TaskRequest } from './protocol.js';

/**
 * The worker side of `startTaskReplica`: announces the adapter's parameter layout, then answers
 * every request with the per-task gradients of one forward pass (`only` the requested tasks) and
 * one backward pass per task, taken at the weights the main thread wrote to shared memory.
 */
export function serveTaskReplica(adapter: BackboneAdapter): void {
  const channel = (workerData as { taskReplica?: TaskReplicaChannel } | null)?.taskReplica;
  if (parentPort === null) throw new Error('`serveTaskReplica` should run inside a worker thread. Found the main thread.');
  if (channel === undefined) throw new Error('`serveTaskReplica` should run in a worker started by `startTaskReplica`. Found no `workerData.taskReplica`.');
  const params = new Float32Array(channel.params);
  const control = new Int32Array(channel.control);
  const { replies } = channel;
  const parameters = adapter.parameters;
  const allVariables = parameters.map((p) => p.variable);
  // The variables a trainer differentiates: trainable and not declared frozen.
  const frozen = new Set(adapter.frozenParameters ?? []);
  const trainable = parameters.map((p) => p.variable).filter((v) => v.trainable && !frozen.has(v));
  const columnOf = new Map(trainable.map((v, i) => [v, i]));
  const answer = (reply: TaskReply, transfer: ArrayBuffer[] = []): void => {
    replies.postMessage(reply, transfer);
    Atomics.store(control, 0, reply.sequence);
    Atomics.notify(control, 0);
  };
  replies.postMessage({
    type: 'ready',
    parameters: parameters.map((p) => ({ name: p.name, shape: [...p.variable.shape] })),
  } satisfies ReadyReply);
  const onRequest = (request: TaskRequest): void => {
    try {
      assignFlat(allVariables, params);
      const batch = toTrainBatch(request.batch);
      let result;
      try {
        const names = request.tasks;
        result = taskGradients(() => {
          const losses = adapter.forward(batch, request.ctx, names).losses;
          return names.map((n) => {
            const l = losses[n];
            if (l === undefined) throw new Error(`\`${adapter.name}\`.forward returned no loss \`${n}\`.`);
            return l;
          });
        }, trainable, 'once');
      } finally {
        disposeBatch(batch);
      }
      const transfer: ArrayBuffer[] = [];
      const gradients = request.tasks.map((_, t) => parameters.map((p) => {
        const column = columnOf.get(p.variable);
        const g = column === undefined ? undefined : result.grads?.[column]?.[t];
        if (g === undefined) return null;
        const values = Float32Array.from(g.dataSync() as Float32Array);
        transfer.push(values.buffer);
        return values;
      }));
      if (result.grads !== null) for (const row of result.grads) tf.dispose(row.filter((g): g is tf.Tensor => g !== undefined));
      answer({ type: 'gradients', sequence: request.sequence, gradients }, transfer);
    } catch (error) {
      answer({ type: 'error', sequence: request.sequence, message: error instanceof Error ? error.message : String(error) });
    }
  };
  // Requests come on the worker's own port (`worker.postMessage`); answers go out on `replies`.
  parentPort.on('message', onRequest);
}
