import type { GridCell } from './grid';

/** The paper's eight multi-task backbones (Tables 1-2); the abstract's average Δ is over these. */
export const PAPER_BACKBONES = Object.freeze(['wcl', 'xpronet', 'camanet', 'tgrg', 'dcl', 'promptmrg', 'ddatr', 'revtaf']) as readonly string[];

/**
 * The main grid's backbones: R2Gen, the base most of the eight build on, first as a reference
 * row (it is not part of the paper's average), then the eight.
 */
export const MAIN_BACKBONES = Object.freeze(['r2gen', ...PAPER_BACKBONES]) as readonly string[];

/**
 * The paper's Table 3 comparison (mtl-methods.md §5) plus the project's extra comparators, in the
 * paper's order. Ids are `came-grad train --optimizer` ids: optim-core's aggregators, its loss
 * weightings (`uw`, `gradnorm`, `famo`) and `rotograd` (on the backbone's shared representation).
 */
export const OPTIMIZER_COMPARISON = Object.freeze([
  'linear', 'uw', 'gradnorm', 'cagrad', 'rotograd', 'famo', 'mmpareto', 'pcgrad', 'mgda', 'imtl-g', 'nash-mtl', 'aligned-mtl', 'upgrad', 'came-grad',
]) as readonly string[];

/** Names accepted by `--experiment`. */
export const EXPERIMENT_NAMES = Object.freeze(['main', 'optimizers', 'ablation', 'sensitivity', 'dynamics', 'cost']) as readonly string[];

/** Backbones of the experiments that use one or two (the paper's choices). */
export interface ExperimentBackbones {
  /** Table 3's backbone; the paper uses REVTAF. */
  readonly optimizers: string;
  /** Table 4's backbones; the paper uses PromptMRG and DDaTR. */
  readonly ablation: readonly string[];
  /** The sensitivity sweeps' backbone (the paper does not say; the project uses Table 3's). */
  readonly sensitivity: string;
  /** The cost experiment's backbone. */
  readonly cost: string;
  /** Steps of a cost run: step time and memory settle after a few steps. */
  readonly costSteps: number;
  /**
   * Whether the main table's `linear` runs also take per-task gradients for the gradient-dynamics
   * columns (conflict rate, energy ratio). That doubles their step cost; the `dynamics`
   * experiment always takes them.
   */
  readonly linearDynamics?: boolean;
}

/**
 * The cells of experiment `name`. `backbones` are the main grid's; `aggregators` are the
 * aggregator ids known at run time, for the cost experiment (every method against `linear`).
 */
export function experimentCells(name: string, backbones: readonly string[], aggregators: readonly string[], pick: ExperimentBackbones): GridCell[] {
  const pair = (backbone: string, linearDynamics = true): GridCell[] => [
    { backbone, variant: 'linear', optimizer: 'linear', ...(linearDynamics ? {} : { diagnostics: false }) },
    { backbone, variant: 'came-grad', optimizer: 'came-grad' },
  ];
  const came = (backbone: string, variant: string, extra: Partial<GridCell>): GridCell => ({ backbone, variant, optimizer: 'came-grad', ...extra });
  switch (name) {
    case 'main':
      return backbones.flatMap((b) => pair(b, pick.linearDynamics ?? true));
    case 'dynamics':
      return backbones.flatMap((b) => pair(b));
    case 'optimizers':
      return OPTIMIZER_COMPARISON.map((optimizer) => ({ backbone: pick.optimizers, variant: optimizer, optimizer }));
    case 'ablation':
      return pick.ablation.flatMap((backbone) => [
        ...pair(backbone),
        came(backbone, 'no-s1', { optimizerOptions: { stages: { rectify: false } } }),
        came(backbone, 'no-s2', { optimizerOptions: { stages: { energize: false } } }),
        came(backbone, 'no-s3', { optimizerOptions: { stages: { fuse: false } } }),
        came(backbone, 'shared-only', { paramScope: 'shared' }),
        came(backbone, 'representation', { gradientMode: 'representation' }),
      ]);
    case 'sensitivity': {
      // Defaults ρ 0.5, κ 1.5, ν 0.2; ν goes past 0.3, where the paper says conflict returns.
      const b = pick.sensitivity;
      return [
        { backbone: b, variant: 'linear', optimizer: 'linear' },
        ...[0, 0.25, 0.5, 0.75, 1].map((rho) => came(b, `rho=${rho}`, { optimizerOptions: { rho } })),
        ...[1, 1.25, 1.5, 2].map((kappa) => came(b, `kappa=${kappa}`, { optimizerOptions: { kappa } })),
        ...[0, 0.1, 0.2, 0.3, 0.5, 0.8].map((nu) => came(b, `nu=${nu}`, { optimizerOptions: { nu } })),
      ];
    }
    case 'cost':
      return ['linear', ...aggregators.filter((a) => a !== 'linear')].map((optimizer) => ({
        backbone: pick.cost,
        variant: optimizer,
        optimizer,
        steps: pick.costSteps,
        diagnostics: false,
      }));
    default:
      throw new Error(`\`--experiment\` should be one of ${EXPERIMENT_NAMES.join(', ')}. Found "${name}"`);
  }
}
