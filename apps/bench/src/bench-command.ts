import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKBONE_DEFAULTS, BACKBONE_IDS } from '@came-grad/backbones';
import type { BackendRequest } from '@came-grad/backbones';
import { generateSynthCxr } from '@came-grad/datasets';
import { TRAIN_OPTIMIZER_IDS } from '@came-grad/cli';
import { AGGREGATOR_IDS } from '@came-grad/optim-core';
import { EXPERIMENT_NAMES, MAIN_BACKBONES, experimentCells } from './experiments';
import { expandGrid, parseShard, shardRuns } from './grid';
import type { GridRun, RunConfig } from './grid';
import { PROFILES } from './profiles';
import { mergeResults, partitionCompleted, readResults } from './result-store';
import { scheduleRuns } from './scheduler';
import { readGrids, writeArtefacts, writeGrid } from './write-artefacts';

/** Where the command writes its lines (injected so tests can read them). */
export interface BenchIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Written beside a synth-cxr set the bench generated: the recipe (`data` string) that made it. */
const RECIPE_FILE = 'bench-recipe.txt';

export const USAGE = `Usage:
  pnpm bench [--profile quick|short|full] [--experiment NAME[,NAME…]] [--out DIR] [--jobs N] [--shard i/n]
             [--dataset synth-cxr|iu_xray|mimic_cxr --data-dir DIR] [--backbones ID,…] [--seeds 0,1,2]
             [--steps N] [--lr LR] [--size tiny|small|base] [--test-studies N] [--backend NAME]
  pnpm bench merge DIR... [--out DIR]
Experiments: ${EXPERIMENT_NAMES.join(', ')}. Default: the quick profile's main table into bench-results/.`;

const list = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));

function integer(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`\`--${name}\` should be an integer ≥ ${min}. Found "${text}"`);
  return value;
}

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`\`--${name}\` should be a number > 0. Found "${text}"`);
  return value;
}

function oneOf<T extends string>(name: string, text: string | undefined, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw new Error(`\`--${name}\` should be one of ${allowed.join(', ')}. Found "${text}"`);
  return text as T;
}

/** Runs `pnpm bench …`; resolves to the exit code. */
export async function benchCommand(argv: readonly string[], io: BenchIo, workerPath: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      profile: { type: 'string' }, experiment: { type: 'string' }, out: { type: 'string' }, jobs: { type: 'string' },
      shard: { type: 'string' }, dataset: { type: 'string' }, 'data-dir': { type: 'string' }, backbones: { type: 'string' },
      seeds: { type: 'string' }, steps: { type: 'string' }, lr: { type: 'string' }, size: { type: 'string' }, 'test-studies': { type: 'string' },
      backend: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  const outDir = resolve(values.out ?? 'bench-results');
  if (positionals[0] === 'merge') {
    const sources = positionals.slice(1).map((p) => resolve(p));
    if (sources.length === 0) throw new Error('`merge` should be given at least one bench folder. Found none');
    const records = mergeResults(sources, outDir);
    const grid = readGrids(sources);
    writeGrid(outDir, grid);
    writeArtefacts(outDir, grid, records, [`merged from ${sources.length} folder(s): ${records.length} run(s)`]);
    io.out(`merged ${records.length} run(s) into ${outDir}`);
    return 0;
  }
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}" (the only subcommand is \`merge\`)\n${USAGE}`);

  const profile = PROFILES[oneOf('profile', values.profile, Object.keys(PROFILES), 'quick')];
  if (profile === undefined) throw new Error('unreachable: profile lookup');
  const experiments = list(values.experiment) ?? [...profile.experiments];
  for (const e of experiments) if (!EXPERIMENT_NAMES.includes(e)) throw new Error(`\`--experiment\` should be one of ${EXPERIMENT_NAMES.join(', ')}. Found "${e}"`);
  const dataset = oneOf('dataset', values.dataset, ['synth-cxr', 'iu_xray', 'mimic_cxr'] as const, 'synth-cxr');
  const seeds = (list(values.seeds) ?? profile.seeds.map(String)).map((s) => integer('seeds', s, 0) as number);
  const backbones = list(values.backbones) ?? [...MAIN_BACKBONES];
  const size = oneOf('size', values.size, ['tiny', 'small', 'base'] as const, profile.run.size);
  const imageSize = size === 'tiny' ? 32 : size === 'small' ? 64 : 96;

  let dataDir: string;
  let data: string;
  if (dataset === 'synth-cxr') {
    data = `synth-cxr:studies=${profile.synth.studies}:px=${imageSize}:seed=${profile.synth.seed}`;
    dataDir = values['data-dir'] === undefined ? join(outDir, 'data', data.replace(/[:=]/g, '-')) : resolve(values['data-dir']);
    const recipeFile = join(dataDir, RECIPE_FILE);
    if (!existsSync(join(dataDir, 'annotation.json'))) {
      io.err(`generating ${data} into ${dataDir}`);
      await generateSynthCxr({ outDir: dataDir, studies: profile.synth.studies, seed: profile.synth.seed, imageSize });
      writeFileSync(recipeFile, `${data}\n`);
    } else if (values['data-dir'] !== undefined && (!existsSync(recipeFile) || readFileSync(recipeFile, 'utf8').trim() !== data)) {
      // A set given with --data-dir that this recipe did not make is named by its folder, so the records say what was trained on.
      // (The default folder is named after the recipe, so it needs no check.)
      data = `synth-cxr:${dataDir}`;
    }
  } else {
    if (values['data-dir'] === undefined) throw new Error(`\`--data-dir\` should name the ${dataset} folder (annotation.json + images/ in R2Gen layout). Found nothing`);
    dataDir = resolve(values['data-dir']);
    if (!existsSync(join(dataDir, 'annotation.json'))) throw new Error(`\`--data-dir\` should contain annotation.json. ${join(dataDir, 'annotation.json')} does not exist`);
    data = dataset;
  }

  const base: Omit<RunConfig, 'backbone' | 'backboneDefaults' | 'optimizer' | 'optimizerOptions' | 'paramScope' | 'gradientMode' | 'diagnostics' | 'seed'> = {
    ...profile.run,
    size,
    dataset,
    data,
    steps: integer('steps', values.steps, 1) ?? profile.run.steps,
    lr: positive('lr', values.lr) ?? profile.run.lr,
    testStudies: integer('test-studies', values['test-studies'], 0) ?? profile.run.testStudies,
  };
  const pick = { optimizers: 'revtaf', ablation: ['promptmrg', 'ddatr'], sensitivity: 'revtaf', cost: 'revtaf', costSteps: profile.costSteps, linearDynamics: profile.linearDynamics ?? true };
  const cells = experiments.map((name) => ({ name, cells: experimentCells(name, backbones, AGGREGATOR_IDS, pick) }));
  const fullGrid = expandGrid(cells, base, seeds, { backbones: BACKBONE_IDS, optimizers: TRAIN_OPTIMIZER_IDS, backboneDefaults: BACKBONE_DEFAULTS });
  const grid: GridRun[] = values.shard === undefined ? fullGrid : shardRuns(fullGrid, parseShard(values.shard));
  writeGrid(outDir, grid);

  const { done, todo } = partitionCompleted(outDir, grid);
  const unavailable = grid.filter((g) => g.unavailable !== null);
  for (const reason of new Set(unavailable.map((g) => g.unavailable))) io.err(`not available: ${reason}`);
  // One worker per core up to 4: each run is single-threaded wasm and holds its own model.
  const jobs = integer('jobs', values.jobs, 1) ?? Math.min(4, availableParallelism());
  io.err(`profile ${profile.name}: ${grid.length} run(s) in the grid${values.shard ? ` (shard ${values.shard})` : ''}; ${done.length} done, ${todo.length} to run, ${unavailable.length} not available; ${jobs} worker(s)`);
  const started = performance.now();
  const backend = oneOf<BackendRequest>('backend', values.backend, ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'], 'auto');
  const result = await scheduleRuns(todo, { outDir, dataDir, backend, jobs, workerPath, log: io.err });
  const minutes = (performance.now() - started) / 60000;
  const records = readResults(outDir).filter((r) => grid.some((g) => g.id === r.id));
  const facts = [
    `profile \`${profile.name}\`, experiments ${experiments.join(', ')}, seeds ${seeds.join(', ')}, size \`${size}\`, ${base.steps} steps, batch ${base.batchSize}, peak lr ${base.lr}`,
    `data \`${data}\`, test studies scored: ${base.testStudies === 0 ? 'all' : base.testStudies}`,
    `${records.length} run(s) with results; ${unavailable.length} not available; ${result.failures.length} failed; this invocation ran ${todo.length} run(s) in ${minutes.toFixed(1)} min with ${jobs} worker(s)`,
    `backends: ${[...new Set(records.map((r) => r.backend))].join(', ') || 'n/a'}; commit ${records[0]?.versions['git']?.slice(0, 10) ?? 'n/a'}; Node ${process.version}`,
  ];
  const markdown = writeArtefacts(outDir, grid, records, facts);
  io.out(markdown);
  io.err(`wrote ${outDir}/{results.jsonl, table.md, results.csv, plots/, report.html} in ${minutes.toFixed(1)} min`);
  for (const f of result.failures) io.err(`FAILED ${f.id}: ${f.message}`);
  return result.failures.length > 0 ? 1 : 0;
}
