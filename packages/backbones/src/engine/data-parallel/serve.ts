import { parentPort } from 'node:worker_threads';
import type { Scalar } from '@tensorflow/tfjs-core';
import type { Replica } from './replica.js';
import type { ReplicaMessage } from './group.js';

/**
 * The worker side of `startReplicaGroup`'s protocol: announce readiness, then run one replica step
 * per 'step' message and answer with the mean loss.
 */
export function serveReplicaSteps(replica: Replica, loss: () => Scalar): void {
  const port = parentPort;
  if (port === null) throw new Error('`serveReplicaSteps` should run inside a worker thread. Found the main thread.');
  const send = (m: ReplicaMessage): void => port.postMessage(m);
  port.on('message', (m: unknown) => {
    if (m !== 'step') return;
    try {
      send({ type: 'stepped', loss: replica.step(loss) });
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ type: 'ready' });
}
