import { OBSERVATIONS, labelReports } from '@came-grad/metrics';
import { stringOption } from '../command';
import type { Command } from '../command';
import { readReports } from './text-files';

export const labelCommand: Command = {
  name: 'label',
  summary: 'Label reports with the CheXpert-style labeler (14 observations: 1 positive, 0 negative, -1 uncertain, blank)',
  usage: '--in FILE [--json]',
  options: {
    in: { type: 'string', value: 'FILE', description: 'reports, one per line (.txt) or a JSON array (.json)', required: true },
    json: { type: 'boolean', description: 'print JSON lines (one object per report) instead of CSV' },
  },
  async run(values, _positionals, io) {
    const reports = readReports(stringOption(values, 'in'));
    const labels = labelReports(reports);
    if (values.json === true) {
      for (const row of labels) io.stdout(`${JSON.stringify(row)}\n`);
      return 0;
    }
    io.stdout(`${['Reports', ...OBSERVATIONS].join(',')}\n`);
    labels.forEach((row, i) => {
      const cells = OBSERVATIONS.map((o) => (row[o] === null ? '' : String(row[o])));
      io.stdout(`${csvCell(reports[i] as string)},${cells.join(',')}\n`);
    });
    return 0;
  },
};

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
