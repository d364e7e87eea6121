import { resolve } from 'node:path';
import { generateSynthCxr } from '@came-grad/datasets';
import { numberOption, stringOption } from '../command';
import type { Command } from '../command';

export const synthCommand: Command = {
  name: 'synth',
  summary: 'Generate a synth-cxr dataset (chest-radiograph-like images with labelled IU-style reports) in R2Gen layout',
  usage: '--out DIR [--studies N] [--seed S] [--image-size PX]',
  options: {
    out: { type: 'string', value: 'DIR', description: 'output folder (annotation.json, images/<id>/0.png, 1.png)', required: true },
    studies: { type: 'string', value: 'N', description: 'number of studies', default: '2000' },
    seed: { type: 'string', value: 'S', description: 'seed; the same seed writes the same bytes', default: '0' },
    'image-size': { type: 'string', value: 'PX', description: 'image side in pixels (32-224)', default: '64' },
    json: { type: 'boolean', description: 'print the result as one JSON line' },
  },
  async run(values, _positionals, io) {
    const outDir = resolve(stringOption(values, 'out'));
    const result = await generateSynthCxr({
      outDir,
      studies: numberOption(values, 'studies', { integer: true, min: 1 }) as number,
      seed: numberOption(values, 'seed', { integer: true, min: 0 }) as number,
      imageSize: numberOption(values, 'image-size', { integer: true, min: 32 }) as number,
    });
    if (values.json === true) io.stdout(`${JSON.stringify(result)}\n`);
    else {
      const { train, val, test } = result.counts;
      io.stdout(`synth-cxr: ${train + val + test} studies (train ${train}, val ${val}, test ${test}; ${result.withPrior} with a prior) in ${outDir}\n`);
    }
    return 0;
  },
};
