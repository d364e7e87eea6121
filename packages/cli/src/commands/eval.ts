import { resolve } from 'node:path';
import type { SplitName } from '@came-grad/datasets';
import { numberOption } from '../command';
import type { Command } from '../command';
import { trivialBaselines } from '../train/baselines';
import { generateSplit, scoreGeneration } from '../train/evaluate-split';
import { ProgressBar } from '../train/progress-bar';
import { oneOf } from './option-parsers';
import { DECODING_OPTIONS, openRunOfOptions, TRAINED_RUN_OPTIONS } from './trained-run-options';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Evaluate a trained run on a split: BLEU-1..4, METEOR, ROUGE-L, CIDEr and clinical-efficacy P/R/F1',
  usage: '--run DIR [--split test] [--json]',
  options: {
    ...TRAINED_RUN_OPTIONS,
    data: { type: 'string', value: 'DIR', description: 'evaluate on another dataset folder of the same kind (default: the run\'s)' },
    'batch-size': { type: 'string', value: 'B', description: 'studies per generation batch', default: '16' },
    ...DECODING_OPTIONS,
    json: { type: 'boolean', description: 'print one JSON object with fields nlg, ce and baselines' },
  },
  async run(values, _positionals, io) {
    const split = oneOf<SplitName>(values, 'split', ['train', 'val', 'test']);
    const data = values.data === undefined ? undefined : resolve(String(values.data));
    const { session, weightsFile } = await openRunOfOptions(values, io, data);
    try {
      const limit = numberOption(values, 'limit', { integer: true, min: 0 }) as number;
      let bar: ProgressBar | undefined;
      const generation = await generateSplit(session.adapter, session.dataset, {
        split,
        batchSize: numberOption(values, 'batch-size', { integer: true, min: 1 }) as number,
        beamSize: numberOption(values, 'beam-size', { integer: true, min: 1 }) as number,
        limit,
        onProgress: (done, total) => {
          bar ??= new ProgressBar(io, total, { label: 'study' });
          bar.update(done);
        },
      });
      const scores = scoreGeneration(generation);
      const baselines = trivialBaselines(session.dataset, generation);
      const result = { split, weights: weightsFile, ...scores, baselines, meteor: 'approximate (no paraphrase table)' };
      if (values.json === true) io.stdout(`${JSON.stringify(result)}\n`);
      else {
        io.stdout(`${split}: ${scores.n} studies (weights ${weightsFile})\n`);
        for (const [k, v] of Object.entries(scores.nlg)) io.stdout(`  ${k.padEnd(7)} ${v.toFixed(4)}\n`);
        io.stdout(`  CE macro (uncertain = positive) P ${fmt(scores.ce.macro)}\n  CE micro (positive only)        P ${fmt(scores.ce.micro)}\n`);
        io.stdout(`  baseline most frequent report: CE macro F1 ${baselines.mostFrequentReport.macro.f1.toFixed(4)}; all negative: ${baselines.allNegative.macro.f1.toFixed(4)}\n`);
      }
      return 0;
    } finally {
      session.dispose();
    }
  },
};

function fmt(s: { precision: number; recall: number; f1: number }): string {
  return `${s.precision.toFixed(4)} R ${s.recall.toFixed(4)} F1 ${s.f1.toFixed(4)}`;
}
