/**
 * The worker of `came-grad train --task-parallel`: rebuilds the run's backbone exactly as the main
 * thread did (same data, vocabulary, seed and corpus preparation, same backend) and serves as its
 * task replica. Built as `dist/task-replica-worker.js`.
 */
import { workerData } from 'node:worker_threads';
import { serveTaskReplica } from '@came-grad/backbones';
import type { BackendRequest } from '@came-grad/backbones';
import { openSession } from './session';
import type { RunSpec } from './session';

/** What the main thread sends as `workerData.user`. */
export interface TaskReplicaWorkerData {
  readonly spec: RunSpec;
  readonly backend: BackendRequest;
  readonly tokens: readonly string[];
  /** The run directory, whose label cache the main thread has filled. */
  readonly outDir: string;
}

void (async () => {
  const { spec, backend, tokens, outDir } = (workerData as { user: TaskReplicaWorkerData }).user;
  const session = await openSession(spec, { backend, tokens, outDir });
  serveTaskReplica(session.adapter);
})();
