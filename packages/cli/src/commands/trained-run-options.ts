import { resolve } from 'node:path';
import type { BackendRequest } from '@came-grad/backbones';
import { stringOption } from '../command';
import type { OptionSpec, ParsedValues } from '../command';
import type { CliIo } from '../io';
import { openTrainedRun } from '../train/trained-run';
import type { WeightsChoice } from '../train/trained-run';
import { oneOf } from './option-parsers';

/** `--run`, `--split` and `--weights`: which trained run, split and weights a command reads (`eval`, `generate`). */
export const TRAINED_RUN_OPTIONS: Readonly<Record<'run' | 'split' | 'weights', OptionSpec>> = Object.freeze({
  run: { type: 'string', value: 'DIR', description: 'run directory written by `came-grad train`', required: true },
  split: { type: 'string', value: 'SPLIT', description: 'train, val or test', default: 'test' },
  weights: { type: 'string', value: 'WHICH', description: 'best (validation CE-F1) or last', default: 'best' },
});

/** `--beam-size`, `--limit` and `--backend`: how a command that generates from a trained run decodes. */
export const DECODING_OPTIONS: Readonly<Record<'beam-size' | 'limit' | 'backend', OptionSpec>> = Object.freeze({
  'beam-size': { type: 'string', value: 'K', description: 'beam width', default: '3' },
  limit: { type: 'string', value: 'N', description: 'only the first N studies (0 = all)', default: '0' },
  backend: { type: 'string', value: 'NAME', description: 'auto, tensorflow-gpu, tensorflow, wasm or cpu', default: 'auto' },
});

/**
 * Opens the run of `--run` on the `--backend` with the `--weights` (checked in that order, after
 * whatever the command checked before), passing the session's notices to stderr.
 *
 * @param dataDir another dataset folder of the same kind (default the run's own)
 */
export function openRunOfOptions(values: ParsedValues, io: CliIo, dataDir?: string): ReturnType<typeof openTrainedRun> {
  return openTrainedRun(resolve(stringOption(values, 'run')), {
    backend: oneOf<BackendRequest>(values, 'backend', ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
    weights: oneOf<WeightsChoice>(values, 'weights', ['best', 'last']),
    ...(dataDir === undefined ? {} : { dataDir }),
    onNotice: (line) => io.stderr(`${line}\n`),
  });
}
