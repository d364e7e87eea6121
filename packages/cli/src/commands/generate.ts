import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BackendRequest } from '@came-grad/backbones';
import type { SplitName } from '@came-grad/datasets';
import { numberOption, stringOption } from '../command';
import type { Command } from '../command';
import { generateSplit } from '../train/evaluate-split';
import { openTrainedRun } from '../train/trained-run';
import type { WeightsChoice } from '../train/trained-run';
import { oneOf } from './option-parsers';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate reports for a split with a trained run (beam search with trigram blocking)',
  usage: '--run DIR [--split test] [--out FILE]',
  options: {
    run: { type: 'string', value: 'DIR', description: 'run directory written by `came-grad train`', required: true },
    split: { type: 'string', value: 'SPLIT', description: 'train, val or test', default: 'test' },
    weights: { type: 'string', value: 'WHICH', description: 'best (validation CE-F1) or last', default: 'best' },
    out: { type: 'string', value: 'FILE', description: 'write JSON lines {id, generated, reference} here instead of stdout' },
    'batch-size': { type: 'string', value: 'B', description: 'studies per batch', default: '16' },
    'beam-size': { type: 'string', value: 'K', description: 'beam width', default: '3' },
    limit: { type: 'string', value: 'N', description: 'only the first N studies (0 = all)', default: '0' },
    backend: { type: 'string', value: 'NAME', description: 'auto, tensorflow-gpu, tensorflow, wasm or cpu', default: 'auto' },
  },
  async run(values, _positionals, io) {
    const { session } = await openTrainedRun(resolve(stringOption(values, 'run')), {
      backend: oneOf<BackendRequest>(values, 'backend', ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
      weights: oneOf<WeightsChoice>(values, 'weights', ['best', 'last']),
      onNotice: (line) => io.stderr(`${line}\n`),
    });
    try {
      const generation = await generateSplit(session.adapter, session.dataset, {
        split: oneOf<SplitName>(values, 'split', ['train', 'val', 'test']),
        batchSize: numberOption(values, 'batch-size', { integer: true, min: 1 }) as number,
        beamSize: numberOption(values, 'beam-size', { integer: true, min: 1 }) as number,
        limit: numberOption(values, 'limit', { integer: true, min: 0 }) as number,
      });
      const lines = generation.ids.map((id, i) => JSON.stringify({ id, generated: generation.hypotheses[i], reference: generation.references[i] }));
      const text = lines.map((l) => `${l}\n`).join('');
      if (typeof values.out === 'string') writeFileSync(resolve(values.out), text);
      else io.stdout(text);
      return 0;
    } finally {
      session.dispose();
    }
  },
};
