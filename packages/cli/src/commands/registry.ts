import type { Command } from '../command';

/** Every `came-grad` sub-command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [];
