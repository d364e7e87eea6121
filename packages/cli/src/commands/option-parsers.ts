import { CliError } from '../cli-error';
import type { ParsedValues } from '../command';

/** A string option restricted to a list, with an error naming the flag and the choices. */
export function oneOf<T extends string>(values: ParsedValues, name: string, choices: readonly T[]): T {
  const raw = values[name];
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new CliError(`--${name} should be one of ${choices.join(', ')}. Found ${JSON.stringify(raw)}.`);
  }
  return raw as T;
}

/** A JSON-object option (`{}` when absent). */
export function jsonOption(values: ParsedValues, name: string): Record<string, unknown> {
  const raw = values[name];
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch (error) {
    throw new CliError(`--${name} should be a JSON object. Found ${JSON.stringify(raw)} (${(error as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`--${name} should be a JSON object. Found ${JSON.stringify(raw)}.`);
  return parsed as Record<string, unknown>;
}
