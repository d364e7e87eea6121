import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METEOR_APPROX_LABEL } from '../meteor/meteor.js';
import { cleanReport } from '../text/clean-report.js';
import { nlgScores } from './nlg-scores.js';

// Runs the README's NLG example as written and checks every "// → …" line against what the
// preceding console.log printed. The block is plain JavaScript apart from its import line.
const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');

describe('README NLG example', () => {
  it('prints what the README says, in at most 15 lines', () => {
    const marker = readme.indexOf('<!-- doctest: nlg');
    expect(marker).toBeGreaterThanOrEqual(0);
    const block = (/```ts\n([\s\S]*?)```/.exec(readme.slice(marker)) as RegExpExecArray)[1] as string;
    const lines = block.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(15);
    expect(lines[0]).toBe("import { nlgScores, cleanReport, METEOR_APPROX_LABEL } from '@came-grad/metrics';");
    const expected = lines.filter((l) => l.startsWith('// → ')).map((l) => l.slice(5));
    const printed: string[] = [];
    const fakeConsole = { log: (...args: unknown[]) => printed.push(args.join(' ')) };
    const run = new Function('nlgScores', 'cleanReport', 'METEOR_APPROX_LABEL', 'console', lines.slice(1).join('\n')) as (...a: unknown[]) => void;
    run(nlgScores, cleanReport, METEOR_APPROX_LABEL, fakeConsole);
    expect(expected.length).toBe(3);
    expect(printed).toEqual(expected);
  });
});
