import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The labeler embeds the shipped data files in a generated module, so it needs no file system at
// run time (ESM, CJS, bundlers). This test keeps that module byte-for-byte in sync with data/;
// run it with UPDATE_CHEXPERT_DATA=1 to regenerate after changing a data file.
const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, '..', '..', 'data');
const generatedPath = join(here, 'chexpert-data.generated.ts');

function readDir(sub: string): Record<string, string> {
  const dir = join(dataDir, 'chexpert', 'phrases', sub);
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    out[f.slice(0, -4)] = readFileSync(join(dir, f), 'utf8');
  }
  return out;
}

function render(): string {
  const cues = JSON.parse(readFileSync(join(dataDir, 'cues.v1.json'), 'utf8')) as unknown;
  return [
    '// GENERATED from packages/metrics/data/ by src/labeler/chexpert-data.test.ts',
    '// (UPDATE_CHEXPERT_DATA=1 pnpm --filter @came-grad/metrics test). Do not edit by hand.',
    '// phrases/: CheXpert labeler phrase files, MIT License, Copyright (c) 2018 Stanford Machine',
    '// Learning Group; see data/chexpert/LICENSE and data/chexpert/NOTICE.',
    "import type { CueLexiconFile } from './cue-lexicon-file';",
    '',
    '/** Raw text of `data/chexpert/phrases/mention/<stem>.txt`, keyed by file stem. */',
    `export const MENTION_FILES: Readonly<Record<string, string>> = ${JSON.stringify(readDir('mention'), null, 2)};`,
    '',
    '/** Raw text of `data/chexpert/phrases/unmention/<stem>.txt`, keyed by file stem. */',
    `export const UNMENTION_FILES: Readonly<Record<string, string>> = ${JSON.stringify(readDir('unmention'), null, 2)};`,
    '',
    '/** Content of `data/cues.v1.json`, the project-authored cue lexicon. */',
    `export const CUES_V1: CueLexiconFile = ${JSON.stringify(cues, null, 2)};`,
    '',
  ].join('\n');
}

describe('embedded CheXpert data', () => {
  it('matches the files in data/ byte for byte', () => {
    const expected = render();
    if (process.env['UPDATE_CHEXPERT_DATA'] === '1') writeFileSync(generatedPath, expected);
    expect(readFileSync(generatedPath, 'utf8')).toBe(expected);
  });

  it('ships the MIT LICENSE and NOTICE next to the phrase files', () => {
    expect(readFileSync(join(dataDir, 'chexpert', 'LICENSE'), 'utf8')).toMatch(/MIT License[\s\S]*Stanford/);
    expect(readFileSync(join(dataDir, 'chexpert', 'NOTICE'), 'utf8')).toMatch(/chexpert-labeler/);
  });
});
