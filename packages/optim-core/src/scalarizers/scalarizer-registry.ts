/**
 * The loss-weighting methods by id, so that a trainer or CLI can build one from a config
 * (`createScalarizer(c.id, c.options)` inverts `toConfig()`).
 */
import { UnknownIdError } from '../errors';
import type { MethodConfig } from '../types';
import type { Scalarizer } from './scalarizer';
import { DWA_DEFAULTS, type DWAOptions, createDWA } from './dwa';
import { FAMO_DEFAULTS, type FAMOOptions, createFAMO } from './famo';
import { GRADNORM_DEFAULTS, type GradNormOptions, createGradNorm } from './gradnorm';
import { RLW_DEFAULTS, type RLWOptions, createRLW } from './rlw';
import { UW_DEFAULTS, type UWOptions, createUW } from './uw';

/** One row per loss-weighting method: id, factory, defaults and the paper. */
export const SCALARIZERS = Object.freeze([
  { id: 'uw', create: (o: object) => createUW(o as UWOptions), defaults: UW_DEFAULTS, paper: 'Kendall et al., CVPR 2018' },
  { id: 'dwa', create: (o: object) => createDWA(o as DWAOptions), defaults: DWA_DEFAULTS, paper: 'Liu et al., CVPR 2019' },
  { id: 'gradnorm', create: (o: object) => createGradNorm(o as GradNormOptions), defaults: GRADNORM_DEFAULTS, paper: 'Chen et al., ICML 2018' },
  { id: 'famo', create: (o: object) => createFAMO(o as FAMOOptions), defaults: FAMO_DEFAULTS, paper: 'Liu et al., NeurIPS 2023' },
  { id: 'rlw', create: (o: object) => createRLW(o as RLWOptions), defaults: RLW_DEFAULTS, paper: 'Lin et al., TMLR 2022' },
] as const);

/** The ids of the loss-weighting methods. */
export const SCALARIZER_IDS: readonly string[] = Object.freeze(SCALARIZERS.map((s) => s.id));

/** Build a loss-weighting method by id; options are validated by the method. */
export function createScalarizer(id: string, options: object = {}): Scalarizer {
  const row = SCALARIZERS.find((s) => s.id === id);
  if (row === undefined) throw new UnknownIdError('scalarizer id', id, SCALARIZER_IDS);
  return row.create(options) as Scalarizer;
}

/** Rebuild a loss-weighting method from `toConfig()`. */
export function scalarizerFromConfig(config: MethodConfig): Scalarizer {
  return createScalarizer(config.id, config.options);
}
