import { parseArgs } from 'node:util';
import { CliError } from './cli-error';
import type { CliIo } from './io';

/** One command-line option: its type, default and the line `--help` prints. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  readonly short?: string;
  readonly default?: string | boolean;
  /** Placeholder shown in help, e.g. `DIR`. */
  readonly value?: string;
  readonly required?: boolean;
  readonly multiple?: boolean;
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** A sub-command of `came-grad`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Free-form usage line after `came-grad <name>`. */
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Extra help text (examples), printed after the option table. */
  readonly epilog?: string;
  run(values: ParsedValues, positionals: string[], io: CliIo): Promise<number>;
}

/** Renders `came-grad <cmd> --help`. */
export function commandHelp(command: Command): string {
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    const extra = spec.required ? ' (required)' : spec.default !== undefined ? ` (default: ${String(spec.default)})` : '';
    return [flag, spec.description + extra] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const table = rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n');
  return `${command.summary}\n\nUsage: came-grad ${command.name} ${command.usage}\n\nOptions:\n${table}\n${command.epilog ? `\n${command.epilog}\n` : ''}`;
}

/** Parses argv for one command; unknown flags and missing required ones are CliErrors naming the flag. */
export function parseCommandArgs(command: Command, argv: string[]): { values: ParsedValues; positionals: string[]; help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`came-grad ${command.name}: ${(error as Error).message} (see --help)`);
  }
  const values: ParsedValues = { ...parsed.values } as ParsedValues;
  if (values.help === true) return { values, positionals: parsed.positionals, help: true };
  for (const [name, spec] of Object.entries(command.options)) {
    if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default;
    if (spec.required && values[name] === undefined) {
      throw new CliError(`came-grad ${command.name}: --${name} is required (see --help)`);
    }
  }
  return { values, positionals: parsed.positionals, help: false };
}

/** Reads a string option as a finite number, with an error naming the flag. */
export function numberOption(values: ParsedValues, name: string, { integer = false, min = -Infinity } = {}): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
    const kind = integer ? 'an integer' : 'a number';
    throw new CliError(`--${name} should be ${kind}${min > -Infinity ? ` ≥ ${min}` : ''}. Found ${JSON.stringify(raw)}.`);
  }
  return value;
}

/** Reads a string option that must be present (after defaults). */
export function stringOption(values: ParsedValues, name: string): string {
  const raw = values[name];
  if (typeof raw !== 'string') throw new CliError(`--${name} is required (see --help)`);
  return raw;
}
