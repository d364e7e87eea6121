import { nlgScores, clinicalEfficacy, labelReports } from '@came-grad/metrics';
import { CliError } from '../cli-error';
import { stringOption } from '../command';
import type { Command } from '../command';
import { ceScores } from '../train/evaluate-split';
import { readReports } from './text-files';

export const scoreCommand: Command = {
  name: 'score',
  summary: 'Score generated reports against references: BLEU-1..4, METEOR, ROUGE-L, CIDEr-D and clinical efficacy',
  usage: '--hyps FILE --refs FILE [--json]',
  options: {
    hyps: { type: 'string', value: 'FILE', description: 'generated reports, one per line (.txt) or a JSON array (.json)', required: true },
    refs: { type: 'string', value: 'FILE', description: 'reference reports, aligned with --hyps', required: true },
    json: { type: 'boolean', description: 'print one JSON object with fields nlg and ce' },
  },
  epilog: 'Text is scored as given: clean it first (R2Gen pipeline) if you are reproducing a paper.',
  async run(values, _positionals, io) {
    const hyps = readReports(stringOption(values, 'hyps'));
    const refs = readReports(stringOption(values, 'refs'));
    if (hyps.length !== refs.length) throw new CliError(`--hyps has ${hyps.length} reports but --refs has ${refs.length}; they must be aligned line by line`);
    if (hyps.length === 0) throw new CliError('--hyps is empty: nothing to score');
    const s = nlgScores(hyps, refs.map((r) => [r]));
    const pred = labelReports(hyps);
    const ref = labelReports(refs);
    const ce = { ...ceScores(pred, ref), example: pick(clinicalEfficacy(pred, ref, { average: 'example', positive: 'positive' })) };
    const nlg = { bleu1: s.bleu[0], bleu2: s.bleu[1], bleu3: s.bleu[2], bleu4: s.bleu[3], meteor: s.meteor, rougeL: s.rougeL, cider: s.cider };
    if (values.json === true) io.stdout(`${JSON.stringify({ n: hyps.length, nlg, ce, meteor: s.meteorLabel })}\n`);
    else {
      io.stdout(`${hyps.length} report pairs\n`);
      for (const [k, v] of Object.entries(nlg)) io.stdout(`  ${k.padEnd(7)} ${v.toFixed(4)}\n`);
      for (const [k, v] of Object.entries(ce)) io.stdout(`  CE ${k.padEnd(7)} P ${v.precision.toFixed(4)} R ${v.recall.toFixed(4)} F1 ${v.f1.toFixed(4)}\n`);
    }
    return 0;
  },
};

function pick(r: { precision: number; recall: number; f1: number }) {
  return { precision: r.precision, recall: r.recall, f1: r.f1 };
}
