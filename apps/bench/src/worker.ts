// Entry of a worker process (forked by the scheduler): runs one grid run and reports over IPC.
import { executeRun } from './execute-run';
import type { ExecuteContext } from './execute-run';
import type { GridRun } from './grid';

/** Messages a worker sends to the scheduler. */
export type WorkerMessage =
  | { readonly type: 'step'; readonly step: number; readonly total: number }
  | { readonly type: 'done'; readonly id: string }
  | { readonly type: 'error'; readonly id: string; readonly message: string };

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, () => resolve());
  });
}

process.once('message', (raw) => {
  const { run, context } = raw as { run: GridRun; context: Omit<ExecuteContext, 'onStep'> };
  executeRun(run, { ...context, onStep: (record, total) => void send({ type: 'step', step: record.step + 1, total }) })
    .then(() => send({ type: 'done', id: run.id }))
    .catch((error: unknown) => send({ type: 'error', id: run.id, message: error instanceof Error ? error.message : String(error) }))
    .finally(() => process.disconnect?.());
});
