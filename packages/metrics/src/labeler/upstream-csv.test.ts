import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { labelReports } from './label-report';
import { OBSERVATIONS } from './observations';
import type { CheXpertLabel } from './observations';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'chexpert');

/** Minimal RFC 4180 reader: quoted fields may hold commas and newlines. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

describe('upstream CheXpert example (data/chexpert/*.csv)', () => {
  const samples = readCsv(readFileSync(join(dir, 'sample_reports.csv'), 'utf8')).map((r) => r[0]!);
  const [header, ...labelled] = readCsv(readFileSync(join(dir, 'labeled_reports.csv'), 'utf8'));

  it('has the CheXpert column order', () => {
    expect(header).toEqual(['Reports', ...OBSERVATIONS]);
    expect(labelled.map((r) => r[0])).toEqual(samples);
  });

  it('reproduces labeled_reports.csv on every cell', () => {
    const ours = labelReports(samples);
    labelled.forEach((row, n) => {
      const expected: Record<string, CheXpertLabel> = {};
      OBSERVATIONS.forEach((o, k) => {
        const cell = row[k + 1]!;
        expected[o] = cell === '' ? null : (Number(cell) as CheXpertLabel);
      });
      expect(ours[n]).toEqual(expected);
    });
    expect(ours).toHaveLength(4);
  });
});
