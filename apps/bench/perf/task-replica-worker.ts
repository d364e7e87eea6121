/**
 * Worker of the `came-tp` contender of multitask-step.ts: the same `r2gen` small (same vocabulary
 * and seed) on the same backend, serving as the task replica that differentiates `cls`.
 */
import { workerData } from 'node:worker_threads';
import { createR2Gen } from '../../../packages/backbones/src/r2gen/adapter';
import { selectBackend } from '../../../packages/backbones/src/engine/select-backend';
import { serveTaskReplica } from '../../../packages/backbones/src/engine/task-parallel/serve-task-replica';

const { user } = workerData as { user: { config: Parameters<typeof createR2Gen>[0]; backend: 'wasm' | 'cpu' } };
await selectBackend(user.backend);
serveTaskReplica(createR2Gen(user.config));
