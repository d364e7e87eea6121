import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SplitName } from '@came-grad/datasets';
import { numberOption } from '../command';
import type { Command } from '../command';
import { generateSplit } from '../train/evaluate-split';
import { oneOf } from './option-parsers';
import { DECODING_OPTIONS, openRunOfOptions, TRAINED_RUN_OPTIONS } from './trained-run-options';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate reports for a split with a trained run (beam search with trigram blocking)',
  usage: '--run DIR [--split test] [--out FILE]',
  options: {
    ...TRAINED_RUN_OPTIONS,
    out: { type: 'string', value: 'FILE', description: 'write JSON lines {id, generated, reference} here instead of stdout' },
    'batch-size': { type: 'string', value: 'B', description: 'studies per batch', default: '16' },
    ...DECODING_OPTIONS,
  },
  async run(values, _positionals, io) {
    const { session } = await openRunOfOptions(values, io);
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
