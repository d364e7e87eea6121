import type { GenerateOptions } from '../contract';
import type { BeamSearchOptions } from './beam-search';

/** The {@link BeamSearchOptions} of a `generate` call over `batchSize` studies, with the contract's defaults. */
export function beamSearchOptions(opts: GenerateOptions, batchSize: number, eos: number): BeamSearchOptions {
  return {
    batchSize,
    beamSize: opts.beamSize,
    maxLen: opts.maxLen,
    minLen: opts.minLen ?? 0,
    blockTrigrams: opts.blockTrigrams ?? false,
    eos,
  };
}
