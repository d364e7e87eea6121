/**
 * Test fixture (bundled by task-replica.test.ts): the tiny `r2gen` of the test, rebuilt in a
 * worker thread from the vocabulary and seed it sends, serving as a task replica.
 */
import { workerData } from 'node:worker_threads';
import { createR2Gen } from '../../r2gen/adapter.js';
import { r2genTinyConfig } from '../../r2gen/tiny-config.js';
import { selectBackend } from '../select-backend.js';
import { serveTaskReplica } from './serve-task-replica.js';

const { user } = workerData as { user: { vocab: string[]; seed: number; backend: 'cpu' | 'wasm'; breakAt?: number } };
await selectBackend(user.backend);
const adapter = createR2Gen(r2genTinyConfig(user.vocab, user.seed));
if (user.breakAt !== undefined) {
  // A replica whose forward fails at one step: the main thread must report it, not hang.
  const forward = adapter.forward.bind(adapter);
  Object.defineProperty(adapter, 'forward', {
    value: (...args: Parameters<typeof forward>) => {
      if (args[1].step === user.breakAt) throw new Error(`forward failed at step ${args[1].step}`);
      return forward(...args);
    },
  });
}
serveTaskReplica(adapter);
