import { ContractError } from '@came-grad/optim-core';
import type { TaskSpec } from '../contract';

/**
 * The tasks a `forward(batch, ctx, only)` call computes: all of them, or the listed ones, each of
 * which must be a task of the adapter (a `ContractError` names the unknown one).
 */
export function selectTasks(adapterName: string, tasks: readonly TaskSpec[], only: readonly string[] | undefined): Set<string> {
  const names = tasks.map((t) => t.name);
  if (only === undefined) return new Set(names);
  for (const t of only) {
    if (!names.includes(t)) throw new ContractError('forward.only', `\`only\` should list tasks of ${adapterName} (${names.join(', ')}). Found ${JSON.stringify(t)}.`);
  }
  return new Set(only);
}
