import { readFileSync } from 'node:fs';
import { CliError } from '../cli-error';

/**
 * Reads reports from a text file: one report per line (`.txt`), or a JSON array of strings
 * (`.json`). Empty lines in a text file are kept as empty reports so line numbers stay aligned.
 */
export function readReports(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`${path} could not be read: ${(error as Error).message}`);
  }
  if (path.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${path} should be a JSON array of strings: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new CliError(`${path} should be a JSON array of strings. Found ${typeof parsed}.`);
    parsed.forEach((item, i) => {
      if (typeof item !== 'string') throw new CliError(`${path}[${i}] should be a string. Found ${JSON.stringify(item)}.`);
    });
    return parsed as string[];
  }
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
