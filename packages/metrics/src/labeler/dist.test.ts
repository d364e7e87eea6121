import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The phrase lists and cue lexicon are compiled into the bundle (chexpert-data.generated.ts), so
// the built package must label reports from any working directory, in ESM and in CJS, without
// reading files next to it. Runs against dist/ when it has been built (`pnpm build`).
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const esm = join(pkg, 'dist', 'index.js');
const cjs = join(pkg, 'dist', 'index.cjs');
const REPORT = 'Minimal patchy airspace disease within the lingula, may reflect atelectasis or consolidation.';
const EXPECTED = { 'Lung Opacity': 1, Consolidation: -1, Atelectasis: -1 };

function run(args: string[]): Record<string, number | null> {
  const out = execFileSync(process.execPath, args, { cwd: tmpdir(), encoding: 'utf8' });
  const labels = JSON.parse(out) as Record<string, number | null>;
  return Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== null));
}

describe.skipIf(!existsSync(esm) || !existsSync(cjs))('built package (dist)', () => {
  it('labels a report from the ESM build, cwd elsewhere', () => {
    const code = `import { labelReports } from ${JSON.stringify(esm)}; console.log(JSON.stringify(labelReports([${JSON.stringify(REPORT)}])[0]));`;
    expect(run(['--input-type=module', '-e', code])).toEqual(EXPECTED);
  });

  it('labels a report from the CJS build, cwd elsewhere', () => {
    const code = `const { labelReports } = require(${JSON.stringify(cjs)}); console.log(JSON.stringify(labelReports([${JSON.stringify(REPORT)}])[0]));`;
    expect(run(['-e', code])).toEqual(EXPECTED);
  });
});
