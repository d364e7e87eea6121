import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackboneAdapter } from '@came-grad/backbones';
import { readCheckpoint, writeCheckpoint } from '../checkpoint/checkpoint-file';
import type { CheckpointArray } from '../checkpoint/checkpoint-file';
import { weightsDigest } from '../checkpoint/weights-digest';
import { CliError } from '../cli-error';

/**
 * The files of a run directory:
 * - `run.json`: what the run is (backbone, data, optimizer, schedule, vocabulary);
 * - `checkpoint.bin`: the latest state (weights, optimizer moments, data cursor, step);
 * - `best.bin`: the weights with the best validation CE-F1 so far;
 * - `log.jsonl`: one JSON record per optimizer step, and one per validation.
 */
export const RUN_FILES = Object.freeze({
  config: 'run.json',
  checkpoint: 'checkpoint.bin',
  best: 'best.bin',
  log: 'log.jsonl',
});

export function runPath(outDir: string, file: keyof typeof RUN_FILES): string {
  return join(outDir, RUN_FILES[file]);
}

/** Writes JSON through a temporary file and a rename, so a reader never sees half a file. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function readRunConfig<T>(outDir: string): T {
  const path = runPath(outDir, 'config');
  if (!existsSync(path)) throw new CliError(`no run at ${outDir}: ${RUN_FILES.config} is missing (train one with \`came-grad train --out ${outDir}\`)`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true });
}

/** The adapter's variables as checkpoint arrays, named `model/<adapter-local name>`. */
export function modelArrays(adapter: BackboneAdapter): CheckpointArray[] {
  return adapter.parameters.map(({ name, variable }) => ({
    name: `model/${name}`,
    shape: [...variable.shape],
    dtype: variable.dtype === 'int32' ? 'int32' : 'float32',
    data: variable.dataSync() as Float32Array | Int32Array,
  }));
}

/** SHA-256 over every model weight in name order (the `weightsDigest` of `train --json`). */
export function modelDigest(adapter: BackboneAdapter): string {
  return weightsDigest(modelArrays(adapter));
}

/** Assigns checkpoint arrays to the adapter's variables; every variable must be present with its shape. */
export function restoreModel(adapter: BackboneAdapter, arrays: readonly CheckpointArray[], source: string): void {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  for (const { name, variable } of adapter.parameters) {
    const entry = byName.get(`model/${name}`);
    if (entry === undefined) throw new CliError(`${source} has no weights for model/${name}; was it written by another backbone or size?`);
    if (entry.shape.join('x') !== variable.shape.join('x')) {
      throw new CliError(`${source}: model/${name} has shape [${entry.shape.join(', ')}], the model expects [${variable.shape.join(', ')}]`);
    }
    tf.tidy(() => variable.assign(tf.tensor(entry.data, [...entry.shape], variable.dtype)));
  }
}

/** Named optimizer state tensors → checkpoint arrays (`optimizer/<name>`); disposes the tensors. */
export async function optimizerArrays(weights: { name: string; tensor: tf.Tensor }[]): Promise<CheckpointArray[]> {
  const arrays: CheckpointArray[] = [];
  for (const { name, tensor } of weights) {
    const data = (await tensor.data()) as Float32Array | Int32Array;
    arrays.push({ name: `optimizer/${name}`, shape: [...tensor.shape], dtype: tensor.dtype === 'int32' ? 'int32' : 'float32', data: data.slice() });
  }
  tf.dispose(weights.map((w) => w.tensor));
  return arrays;
}

/** Checkpoint arrays → named optimizer state tensors (the caller disposes them after `setWeights`). */
export function optimizerWeights(arrays: readonly CheckpointArray[]): { name: string; tensor: tf.Tensor }[] {
  return arrays
    .filter((a) => a.name.startsWith('optimizer/'))
    .map((a) => ({ name: a.name.slice('optimizer/'.length), tensor: tf.tensor(a.data, [...a.shape], a.dtype) }));
}

export { readCheckpoint, writeCheckpoint };
