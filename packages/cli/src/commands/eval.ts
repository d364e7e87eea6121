import { resolve } from 'node:path';
import type { BackendRequest } from '@came-grad/backbones';
import type { SplitName } from '@came-grad/datasets';
import { numberOption, stringOption } from '../command';
import type { Command } from '../command';
import { trivialBaselines } from '../train/baselines';
import { generateSplit, scoreGeneration } from '../train/evaluate-split';
import { ProgressBar } from '../train/progress-bar';
import { openTrainedRun } from '../train/trained-run';
import type { WeightsChoice } from '../train/trained-run';
import { oneOf } from './option-parsers';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Evaluate a trained run on a split: BLEU-1..4, METEOR, ROUGE-L, CIDEr and clinical-efficacy P/R/F1',
  usage: '--run DIR [--split test] [--json]',
  options: {
    run: { type: 'string', value: 'DIR', description: 'run directory written by `came-grad train`', required: true },
    split: { type: 'string', value: 'SPLIT', description: 'train, val or test', default: 'test' },
    weights: { type: 'string', value: 'WHICH', description: 'best (validation CE-F1) or last', default: 'best' },
    data: { type: 'string', value: 'DIR', description: 'evaluate on another dataset folder of the same kind (default: the run\'s)' },
    'batch-size': { type: 'string', value: 'B', description: 'studies per generation batch', default: '16' },
    'beam-size': { type: 'string', value: 'K', description: 'beam width', default: '3' },
    limit: { type: 'string', value: 'N', description: 'only the first N studies (0 = all)', default: '0' },
    backend: { type: 'string', value: 'NAME', description: 'auto, tensorflow-gpu, tensorflow, wasm or cpu', default: 'auto' },
    json: { type: 'boolean', description: 'print one JSON object with fields nlg, ce and baselines' },
  },
  async run(values, _positionals, io) {
    const split = oneOf<SplitName>(values, 'split', ['train', 'val', 'test']);
    const data = values.data === undefined ? undefined : resolve(String(values.data));
    const { session, weightsFile } = await openTrainedRun(resolve(stringOption(values, 'run')), {
      backend: oneOf<BackendRequest>(values, 'backend', ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
      weights: oneOf<WeightsChoice>(values, 'weights', ['best', 'last']),
      ...(data === undefined ? {} : { dataDir: data }),
      onNotice: (line) => io.stderr(`${line}\n`),
    });
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
