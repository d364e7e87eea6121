import type { BackboneAdapter } from '@came-grad/backbones';
import { CliError } from '../cli-error';

/**
 * Checks a `--tasks` list against the backbone's tasks and returns it in the backbone's task
 * order without repeats, so two spellings of the same selection store (and resume) identically.
 */
export function resolveTaskSelection(adapter: BackboneAdapter, listed: readonly string[]): string[] {
  const names = adapter.tasks.map((t) => t.name);
  const unknown = listed.filter((name) => !names.includes(name));
  if (listed.length === 0 || unknown.length > 0) {
    const found = listed.length === 0 ? 'an empty list' : unknown.map((n) => JSON.stringify(n)).join(', ');
    throw new CliError(`\`--tasks\` should list tasks of ${adapter.name} (${names.join(', ')}). Found ${found}.`);
  }
  return names.filter((name) => listed.includes(name));
}

/**
 * ω of every task at a step: the backbone's own weight (schedule applied) for the selected tasks,
 * 0 for the others. A task at ω = 0 is inactive at that step, so an unselected task computes no
 * loss for the update and sends no gradient anywhere. `selected` undefined = every task.
 */
export function taskWeightsAt(adapter: BackboneAdapter, selected: readonly string[] | undefined, step: number, epoch: number): number[] {
  return adapter.tasks.map((t) => (selected === undefined || selected.includes(t.name) ? (t.weightAt?.(step, epoch) ?? t.weight) : 0));
}
