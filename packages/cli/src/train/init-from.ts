import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackboneAdapter } from '@came-grad/backbones';
import { readCheckpoint } from '../checkpoint/checkpoint-file';
import { CliError } from '../cli-error';
import { RUN_FILES } from './run-files';

/** Where a warm start takes its weights (`--init-from`, `--init-prefix`); stored in `run.json`. */
export interface InitSource {
  /** Absolute path of the `.bin` checkpoint (a run directory resolves to its `checkpoint.bin`). */
  readonly file: string;
  /** SHA-256 of the whole file, so a rerun or `--resume` can tell that the source changed. */
  readonly sha256: string;
  /** Parameter-name prefixes to load (`visual` = `visual` and `visual.*`); empty = every name. */
  readonly prefixes: readonly string[];
}

/** Resolves `--init-from DIR_OR_FILE` and hashes the file; a missing file is a CliError naming it. */
export function resolveInitSource(fromFlag: string, prefixes: readonly string[]): InitSource {
  let file = resolve(fromFlag);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, RUN_FILES.checkpoint);
  if (!existsSync(file)) throw new CliError(`--init-from should be a run directory or a checkpoint file (${RUN_FILES.checkpoint}, ${RUN_FILES.best}). Found no file at ${file}.`);
  if (prefixes.some((p) => p === '' || p.endsWith('.'))) {
    throw new CliError(`--init-prefix should list parameter-name prefixes such as visual or visual,encoder. Found ${JSON.stringify(prefixes.join(','))}.`);
  }
  return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), prefixes: [...prefixes] };
}

/** True when `name` is `prefix` itself or lies under it (`visual` covers `visual.conv1.kernel`, not `visualizer`). */
function underPrefix(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}.`) || name.startsWith(`${prefix}/`);
}

/** What {@link initFromCheckpoint} loaded. */
export interface InitReport {
  readonly loaded: number;
  readonly total: number;
  /** The stderr line: "init: N of M parameters from FILE (prefixes …)". */
  readonly line: string;
}

/**
 * Copies the weights of another run's checkpoint into the adapter's parameters that have the same
 * stable name and shape, restricted to `prefixes`. A parameter missing from the source keeps its own
 * initialisation; a name present with another shape, or no parameter loaded at all, is an error.
 * Only model weights are read: the optimizer's moments start fresh.
 */
export function initFromCheckpoint(adapter: BackboneAdapter, source: InitSource): InitReport {
  const checkpoint = readCheckpoint<unknown>(source.file);
  const actual = createHash('sha256').update(readFileSync(source.file)).digest('hex');
  if (actual !== source.sha256) throw new CliError(`--init-from: ${source.file} changed since the run was configured (sha256 ${actual}, expected ${source.sha256})`);
  const byName = new Map(checkpoint.arrays.filter((a) => a.name.startsWith('model/')).map((a) => [a.name.slice('model/'.length), a]));
  const wanted = adapter.parameters.filter(({ name }) => source.prefixes.length === 0 || source.prefixes.some((p) => underPrefix(name, p)));
  const matches = wanted.filter(({ name }) => byName.has(name));
  for (const { name, variable } of matches) {
    const entry = byName.get(name)!;
    if (entry.shape.join('x') !== variable.shape.join('x')) {
      throw new CliError(`--init-from: parameter ${name} has shape [${entry.shape.join(', ')}] in ${source.file}, this run's model expects [${variable.shape.join(', ')}]`);
    }
  }
  const scope = source.prefixes.length === 0 ? 'all names' : `prefixes ${source.prefixes.join(', ')}`;
  if (matches.length === 0) {
    throw new CliError(`--init-from: no parameter of ${adapter.name} (${scope}) has a namesake in ${source.file}; was it written by another backbone, or is --init-prefix wrong?`);
  }
  for (const { name, variable } of matches) {
    const entry = byName.get(name)!;
    tf.tidy(() => variable.assign(tf.tensor(entry.data, [...entry.shape], variable.dtype)));
  }
  return {
    loaded: matches.length,
    total: adapter.parameters.length,
    line: `init: ${matches.length} of ${adapter.parameters.length} parameters from ${source.file} (${scope})`,
  };
}
