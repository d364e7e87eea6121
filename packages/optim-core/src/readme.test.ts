import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
// The doc test runs the README against the public entry's source, so it needs no prior build.
// eslint-disable-next-line no-restricted-imports
import * as lib from './index';

/**
 * Doc test: runs the README's example block against the package entry and checks that each
 * `console.log` prints exactly what its trailing comment says.
 */
describe('README example', () => {
  it('runs and prints the commented outputs', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Example'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const code = block!;
    expect(code.split('\n').filter((l) => l.trim() !== '').length).toBeLessThanOrEqual(15);
    const expected = code.split('\n').filter((l) => l.includes('console.log(')).map((l) => l.slice(l.lastIndexOf('// ') + 3).trim());
    const body = code.replace(/import \{([^}]*)\} from '@came-grad\/optim-core';/, 'const {$1} = lib;');
    const printed: string[] = [];
    const fakeConsole = { log: (...args: unknown[]) => printed.push(format(...args)) };
    new Function('lib', 'console', body)(lib, fakeConsole);
    expect(printed).toEqual(expected);
  });
});
