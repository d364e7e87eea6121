import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { labelReports } from '../labeler/label-report';
import { clinicalEfficacy } from './clinical-efficacy';
import { CE_PROTOCOLS } from './protocols';

// Runs the README's clinical example as written and checks every "// → …" line against what the
// preceding console.log printed. The block is plain JavaScript apart from its import line.
const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');

describe('README clinical example', () => {
  it('prints what the README says', () => {
    const marker = readme.indexOf('<!-- doctest: clinical');
    expect(marker).toBeGreaterThanOrEqual(0);
    const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(marker))![1]!;
    const lines = block.split('\n');
    expect(lines.length).toBeLessThanOrEqual(16);
    expect(lines[0]).toBe("import { labelReports, clinicalEfficacy, CE_PROTOCOLS } from '@came-grad/metrics';");
    const expected = lines.filter((l) => l.startsWith('// → ')).map((l) => l.slice(5));
    const printed: string[] = [];
    const fakeConsole = { log: (...args: unknown[]) => printed.push(args.join(' ')) };
    const run = new Function('labelReports', 'clinicalEfficacy', 'CE_PROTOCOLS', 'console', lines.slice(1).join('\n'));
    run(labelReports, clinicalEfficacy, CE_PROTOCOLS, fakeConsole);
    expect(expected.length).toBe(2);
    expect(printed).toEqual(expected);
  });
});
