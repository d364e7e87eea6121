import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors';

/**
 * The counters every stateful step of this binding keeps next to its method's state, saved with
 * a checkpoint so that a resumed run closes epochs and counts steps exactly as an uninterrupted one.
 */
export interface MethodStepCounters {
  readonly applied: number;
  readonly skipped: number;
  /** The data epoch of the last step, `null` before the first. */
  readonly lastEpoch: number | null;
  /** Method updates since the last epoch close. */
  readonly updatesThisEpoch: number;
}

/** Validates the counters of a restored state. */
export function checkStepCounters(state: Partial<MethodStepCounters>): MethodStepCounters {
  for (const key of ['applied', 'skipped', 'updatesThisEpoch'] as const) {
    const x = state[key];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw new InvalidOptionError(`state.${key}`, 'an integer ≥ 0', x);
  }
  const last = state.lastEpoch;
  if (last !== null && (typeof last !== 'number' || !Number.isInteger(last) || last < 0)) {
    throw new InvalidOptionError('state.lastEpoch', 'null or an integer ≥ 0', last);
  }
  return { applied: state.applied as number, skipped: state.skipped as number, lastEpoch: last ?? null, updatesThisEpoch: state.updatesThisEpoch as number };
}

/** A K-long active mask from a step option (default: every task active). */
export function maskOf(active: readonly boolean[] | undefined, K: number): boolean[] {
  if (active === undefined) return new Array<boolean>(K).fill(true);
  if (!Array.isArray(active) || active.length !== K || active.some((a) => typeof a !== 'boolean')) {
    throw new InvalidOptionError('step options.active', `${K} booleans (one per loss)`, active);
  }
  return [...active];
}

/** Variable names from variables or names (validated). */
export function namesOf(option: string, list: readonly (tf.Variable | string)[]): string[] {
  if (!Array.isArray(list)) throw new InvalidOptionError(option, 'an array of tf.Variables or variable names', list);
  return list.map((x, i) => {
    if (typeof x === 'string') return x;
    if (x instanceof tf.Variable) return x.name;
    throw new InvalidOptionError(`${option}[${i}]`, 'a tf.Variable or a variable name', x);
  });
}
