/** Everything that decides what a run trains; two runs with equal configs are the same run. */
export interface RunConfig {
  readonly backbone: string;
  /**
   * Hash of the backbone's default configuration (null for a backbone the registry does not
   * list), so that a run made before a default changed is trained again instead of reused.
   */
  readonly backboneDefaults: string | null;
  /** An optim-core aggregator id, or a comparator the cli cannot run yet (then `available` is false). */
  readonly optimizer: string;
  readonly optimizerOptions: Readonly<Record<string, unknown>>;
  readonly paramScope: 'all' | 'shared';
  readonly gradientMode: 'parameters' | 'representation';
  /** Per-task gradients and dynamics logs for every method, `linear` included (off only for cost runs). */
  readonly diagnostics: boolean;
  readonly dataset: 'synth-cxr' | 'iu_xray' | 'mimic_cxr';
  /** Which data exactly: the synth-cxr generator's settings, or the real dataset's name. */
  readonly data: string;
  readonly size: 'tiny' | 'small' | 'base';
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  readonly valStudies: number;
  readonly beamSize: number;
  /** Test studies scored (0 = the whole split). */
  readonly testStudies: number;
}

/** One cell of a grid: a run, the experiments that use it, and whether it can run here. */
export interface GridRun {
  /** Stable id: readable prefix plus a hash of the canonical config. */
  readonly id: string;
  /** Row label inside an experiment (`came-grad`, `no-s1`, `rho=0.25`, …). */
  readonly variant: string;
  readonly experiments: readonly string[];
  readonly config: RunConfig;
  /** `null` when the run can execute; otherwise why not (e.g. the backbone is not registered). */
  readonly unavailable: string | null;
}

/** A row of an experiment before expansion over seeds. */
export interface GridCell {
  readonly backbone: string;
  readonly variant: string;
  readonly optimizer: string;
  readonly optimizerOptions?: Readonly<Record<string, unknown>>;
  readonly paramScope?: 'all' | 'shared';
  readonly gradientMode?: 'parameters' | 'representation';
  /** Default true; the cost experiment times `linear` as one backward pass. */
  readonly diagnostics?: boolean;
  /** Steps override for experiments that only need a short run (cost). */
  readonly steps?: number;
}

/** What is registered at run time: the grid never assumes a backbone or method exists. */
export interface Availability {
  readonly backbones: readonly string[];
  readonly optimizers: readonly string[];
  /** Default configuration per registered backbone (`BACKBONE_DEFAULTS`). */
  readonly backboneDefaults?: Readonly<Record<string, object>>;
}

/** Keys sorted recursively, so equal configs give equal text whatever the construction order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a (32 bit) as 8 hex digits: short, stable across machines and Node versions. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export function runId(variant: string, config: RunConfig): string {
  const slug = `${config.backbone}-${variant}-s${config.seed}`.replace(/[^a-zA-Z0-9.=-]+/g, '_');
  return `${slug}-${fnv1a(canonicalJson(config))}`;
}

/**
 * Expands cells × seeds into runs. A config used by several experiments (the main table's runs
 * are also the dynamics experiment's) becomes one run listing both, so it trains once.
 * The result is sorted by id, which makes sharding independent of experiment order.
 */
export function expandGrid(
  experiments: readonly { name: string; cells: readonly GridCell[] }[],
  base: Omit<RunConfig, 'backbone' | 'backboneDefaults' | 'optimizer' | 'optimizerOptions' | 'paramScope' | 'gradientMode' | 'diagnostics' | 'seed'>,
  seeds: readonly number[],
  availability: Availability,
): GridRun[] {
  const byId = new Map<string, { variant: string; experiments: Set<string>; config: RunConfig }>();
  for (const experiment of experiments) {
    for (const cell of experiment.cells) {
      for (const seed of seeds) {
        const defaults = availability.backboneDefaults?.[cell.backbone];
        const config: RunConfig = {
          ...base,
          backbone: cell.backbone,
          backboneDefaults: defaults === undefined ? null : fnv1a(canonicalJson(defaults)),
          optimizer: cell.optimizer,
          optimizerOptions: cell.optimizerOptions ?? {},
          paramScope: cell.paramScope ?? 'all',
          gradientMode: cell.gradientMode ?? 'parameters',
          diagnostics: cell.diagnostics ?? true,
          steps: cell.steps ?? base.steps,
          seed,
        };
        const id = runId(cell.variant, config);
        const entry = byId.get(id) ?? { variant: cell.variant, experiments: new Set<string>(), config };
        entry.experiments.add(experiment.name);
        byId.set(id, entry);
      }
    }
  }
  return [...byId]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, e]) => ({
      id,
      variant: e.variant,
      experiments: [...e.experiments].sort(),
      config: e.config,
      unavailable: whyUnavailable(e.config, availability),
    }));
}

function whyUnavailable(config: RunConfig, availability: Availability): string | null {
  if (!availability.backbones.includes(config.backbone)) return `backbone ${config.backbone} is not registered in @came-grad/backbones yet`;
  if (!availability.optimizers.includes(config.optimizer)) return `optimizer ${config.optimizer} is not supported by \`came-grad train\` yet`;
  return null;
}

/** A `--shard i/n` selection (1-based i, as Slurm/Kubernetes/CI index their array jobs after adding one). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Parses `i/n` with 1 ≤ i ≤ n. Zero-based schedulers (Kubernetes `JOB_COMPLETION_INDEX`) pass `$((i+1))/n`.
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) {
    throw new Error(`\`--shard\` should be i/n with 1 ≤ i ≤ n (e.g. 2/4). Found "${text}"`);
  }
  return { index, count };
}

/**
 * The runs of one shard: round-robin over the id-sorted grid, so every shard gets a similar mix
 * of backbones, the union of all shards is the grid, and no run is in two shards.
 */
export function shardRuns<T extends { readonly id: string }>(runs: readonly T[], shard: Shard): T[] {
  const sorted = [...runs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}
