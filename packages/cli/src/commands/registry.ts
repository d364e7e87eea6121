import type { Command } from '../command';
import { evalCommand } from './eval';
import { generateCommand } from './generate';
import { labelCommand } from './label';
import { scoreCommand } from './score';
import { synthCommand } from './synth';
import { trainCommand } from './train';

/** Every `came-grad` sub-command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [trainCommand, evalCommand, generateCommand, scoreCommand, labelCommand, synthCommand];
