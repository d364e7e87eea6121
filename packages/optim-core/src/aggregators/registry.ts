import { UnknownIdError } from '../errors';
import type { Weighting } from '../types';
import { gramianWeighted } from './aggregator';
import type { Aggregator } from './aggregator';
import { CAGRAD_DEFAULTS, createCAGrad } from './cagrad';
import { CAME_GRAD_DEFAULTS, createCameGrad } from './came-grad';
import { LINEAR_DEFAULTS, createLinear } from './linear';
import { MGDA_DEFAULTS, createMGDA } from './mgda';
import { ALIGNED_MTL_DEFAULTS, createAlignedMTL } from './aligned-mtl';
import { DUALPROJ_DEFAULTS, createDualProj } from './dualproj';
import { IMTL_G_DEFAULTS, createIMTLG } from './imtl-g';
import { MMPARETO_DEFAULTS, createMMPareto } from './mmpareto';
import { NASH_MTL_DEFAULTS, createNashMTL } from './nash-mtl';
import { PCGRAD_DEFAULTS, createPCGrad } from './pcgrad';
import { UPGRAD_DEFAULTS, createUPGrad } from './upgrad';

/**
 * Which of the shared properties (mtl-methods.md §6) a method guarantees. `true` means the shared
 * assertion is run in the method's test; a string states the condition under which it holds.
 */
export interface MethodProperties {
  /** P2: A(PG) = A(G) (ω permuted along for ω-dependent methods). */
  readonly permutationEquivariant: boolean;
  /** P3: A(sG) = s·A(G) for every real s. */
  readonly scaleEquivariant: boolean | string;
  /** P4: min_i ⟨g_i, A(G)⟩ ≥ 0. */
  readonly nonConflicting: boolean | string;
  /** P5: A(diag(a·c1 + b·c2)G) = a·A(diag(c1)G) + b·A(diag(c2)G). */
  readonly linearUnderScaling: boolean;
  /** P6: A(G) ≠ 0 unless G is strongly stationary. */
  readonly stronglyStationary: boolean | string;
}

/** One row of the method table. */
export interface MethodEntry<Id extends string, Options, Info extends object> {
  readonly id: Id;
  readonly create: (options?: Options) => Weighting<Info>;
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Citation: authors, venue, year. */
  readonly paper: string;
  readonly properties: MethodProperties;
  /** Gram weightings are pure; stateful loss weightings live in `scalarizers/`. */
  readonly stateful: false;
  /**
   * True when the method takes the backbone's loss weights ω as its `weights` option (a
   * trainer passes them; the others read ω from the step context for diagnostics only).
   */
  readonly taskWeighted: boolean;
}

function method<Id extends string, Options, Info extends object>(
  entry: MethodEntry<Id, Options, Info>,
): MethodEntry<Id, Options, Info> {
  return Object.freeze(entry);
}

/** The method table: one line per Gram weighting. */
export const METHODS = Object.freeze([
  method({
    id: 'came-grad', create: createCameGrad, defaults: CAME_GRAD_DEFAULTS, stateful: false, taskWeighted: true,
    paper: 'Zhang, Hao, Wang, Guo, ICML 2026 (arXiv 2605.22635)',
    properties: {
      permutationEquivariant: true, scaleEquivariant: true,
      nonConflicting: 'no: S3 can reintroduce conflict (came-grad.md C2)', linearUnderScaling: false,
      stronglyStationary: 'no: returns 0 when ‖g_joint‖ = 0 (came-grad.md §5.8)',
    },
  }),
  method({
    id: 'linear', create: createLinear, defaults: LINEAR_DEFAULTS, stateful: false, taskWeighted: true,
    paper: 'linear scalarisation (sum / mean / weighted)',
    properties: {
      permutationEquivariant: true, scaleEquivariant: true, nonConflicting: false,
      linearUnderScaling: true, stronglyStationary: 'with positive weights',
    },
  }),
  method({
    id: 'cagrad', create: createCAGrad, defaults: CAGRAD_DEFAULTS, stateful: false, taskWeighted: false,
    paper: 'Liu, Liu, Jin, Stone, Liu, NeurIPS 2021',
    properties: {
      permutationEquivariant: true, scaleEquivariant: true, nonConflicting: 'for c ≥ 1',
      linearUnderScaling: false, stronglyStationary: false,
    },
  }),
  method({
    id: 'mgda', create: createMGDA, defaults: MGDA_DEFAULTS, stateful: false, taskWeighted: false,
    paper: 'Désidéri 2012; Sener & Koltun, NeurIPS 2018',
    properties: {
      permutationEquivariant: true, scaleEquivariant: 'normalize none only (l2 is homogeneous of degree 0)',
      nonConflicting: true, linearUnderScaling: false, stronglyStationary: false,
    },
  }),
  method({ id: 'pcgrad', create: createPCGrad, defaults: PCGRAD_DEFAULTS, stateful: false, taskWeighted: false, paper: 'Yu et al., NeurIPS 2020', properties: { permutationEquivariant: false, scaleEquivariant: true, nonConflicting: 'no for K ≥ 3 (tianheyu927/PCGrad issue 9)', linearUnderScaling: false, stronglyStationary: false } }),
  method({ id: 'imtl-g', create: createIMTLG, defaults: IMTL_G_DEFAULTS, stateful: false, taskWeighted: false, paper: 'Liu et al., ICLR 2021', properties: { permutationEquivariant: true, scaleEquivariant: true, nonConflicting: false, linearUnderScaling: false, stronglyStationary: false } }),
  method({ id: 'nash-mtl', create: createNashMTL, defaults: NASH_MTL_DEFAULTS, stateful: false, taskWeighted: false, paper: 'Navon et al., ICML 2022', properties: { permutationEquivariant: true, scaleEquivariant: 'with maxNorm 0 (clipping is scale-dependent by design)', nonConflicting: 'when defined (throws when 0 ∈ conv{g_i})', linearUnderScaling: false, stronglyStationary: 'no: throws on weakly stationary G' } }),
  method({ id: 'aligned-mtl', create: createAlignedMTL, defaults: ALIGNED_MTL_DEFAULTS, stateful: false, taskWeighted: false, paper: 'Senushkin et al., CVPR 2023', properties: { permutationEquivariant: true, scaleEquivariant: true, nonConflicting: false, linearUnderScaling: false, stronglyStationary: false } }),
  method({ id: 'upgrad', create: createUPGrad, defaults: UPGRAD_DEFAULTS, stateful: false, taskWeighted: false, paper: 'Quinton & Rey, arXiv 2406.16232 (2024)', properties: { permutationEquivariant: true, scaleEquivariant: true, nonConflicting: true, linearUnderScaling: true, stronglyStationary: true } }),
  method({ id: 'dualproj', create: createDualProj, defaults: DUALPROJ_DEFAULTS, stateful: false, taskWeighted: false, paper: 'Quinton & Rey, arXiv 2406.16232 (2024)', properties: { permutationEquivariant: true, scaleEquivariant: true, nonConflicting: true, linearUnderScaling: false, stronglyStationary: true } }),
  method({ id: 'mmpareto', create: createMMPareto, defaults: MMPARETO_DEFAULTS, stateful: false, taskWeighted: false, paper: 'Wei & Hu, ICML 2024', properties: { permutationEquivariant: true, scaleEquivariant: true, nonConflicting: true, linearUnderScaling: false, stronglyStationary: 'no: returns 0 when 0 ∈ conv{g_i}' } }),
] as const);

type Methods = (typeof METHODS)[number];
/** Every registered aggregator id. */
export type AggregatorId = Methods['id'];
/** The options type of a method id. */
export type OptionsOf<Id extends AggregatorId> = NonNullable<Parameters<Extract<Methods, { id: Id }>['create']>[0]>;
/** The info type of a method id. */
export type InfoOf<Id extends AggregatorId> = ReturnType<Extract<Methods, { id: Id }>['create']> extends Weighting<infer I> ? I : never;

/** The ids accepted by {@link createAggregator} and {@link createWeighting}. */
export const AGGREGATOR_IDS: readonly AggregatorId[] = Object.freeze(METHODS.map((m) => m.id));

/** Looks a method up; throws `UnknownIdError` listing the known ids. */
export function getMethod(id: string): Methods {
  const entry = METHODS.find((m) => m.id === id);
  if (entry === undefined) throw new UnknownIdError('id', id, AGGREGATOR_IDS);
  return entry;
}

/**
 * Creates the pure K-space weighting of a method. Options are validated here (`InvalidOptionError`
 * naming the option). `createWeighting(w.toConfig().id, w.toConfig().options)` rebuilds `w`.
 */
export function createWeighting<Id extends AggregatorId>(id: Id, options?: OptionsOf<Id>): Weighting<InfoOf<Id>>;
export function createWeighting(id: string, options?: Readonly<Record<string, unknown>>): Weighting;
export function createWeighting(id: string, options?: unknown): Weighting {
  const create = getMethod(id).create as (o?: unknown) => Weighting;
  return create(options);
}

/**
 * Creates an aggregator over plain arrays: `aggregate(rows)` → `{ direction, weights, info }` with
 * `info.diagnostics` (came-grad.md §7), and the Gram-level `weights(gram)` for bindings.
 *
 * @example
 * const agg = createAggregator('came-grad', { rho: 0.5, kappa: 1.5, nu: 0.2, weights: [1, 4] });
 * const { direction, weights } = agg.aggregate([[-4, 1, 1], [6, 1, 1]]);
 */
export function createAggregator<Id extends AggregatorId>(id: Id, options?: OptionsOf<Id>): Aggregator<InfoOf<Id>>;
export function createAggregator(id: string, options?: Readonly<Record<string, unknown>>): Aggregator;
export function createAggregator(id: string, options?: unknown): Aggregator {
  return gramianWeighted(createWeighting(id, options as Readonly<Record<string, unknown>>));
}
