import * as tf from '@tensorflow/tfjs-core';
import { adamRange, ADAM_DEFAULTS } from './shared-adam.js';
import type { AdamHyper } from './shared-adam.js';
import { assignFlat, writeFlat } from '../flat-variables.js';
import { barrierWait, rangeOf, viewSharedState } from './shared-state.js';

/** What a worker needs to join a data-parallel group (sent as `workerData`). */
export interface ReplicaSpec {
  readonly buffer: SharedArrayBuffer;
  readonly rank: number;
  readonly replicas: number;
  readonly size: number;
  readonly adam?: Partial<AdamHyper>;
}

/** One replica's side of data-parallel training. */
export interface Replica {
  /**
   * Computes this replica's gradient of `loss` (on its share of the batch), averages it with the
   * others' through shared memory, applies Adam to its range of the parameters, and loads the new
   * parameters into its variables. Every replica must call it once per step. Returns the mean loss
   * over replicas.
   */
  step(loss: () => tf.Scalar): number;
}

/**
 * Joins a data-parallel group: each of `replicas` worker threads holds a full model replica and
 * trains on its share of every batch; gradients meet in a SharedArrayBuffer, each replica runs Adam
 * on 1/replicas of the flat parameter vector, and all copy the result back (two barriers a step).
 * Rank 0's initial values are broadcast, so replicas start identical. With equal shares, the mean
 * of the replica gradients equals the full-batch gradient of a mean loss.
 */
export function joinReplicaGroup(spec: ReplicaSpec, variables: readonly tf.Variable[]): Replica {
  const state = viewSharedState(spec.buffer, spec.replicas, spec.size);
  const total = variables.reduce((n, v) => n + v.size, 0);
  if (total !== spec.size) {
    throw new Error(`\`variables\` should hold ${spec.size} parameters (the group's size). Found ${total}.`);
  }
  const hyper: AdamHyper = { ...ADAM_DEFAULTS, ...spec.adam };
  const [start, end] = rangeOf(spec.rank, spec.replicas, spec.size);
  if (spec.rank === 0) writeFlat(variables, state.params);
  barrierWait(state.control, spec.replicas);
  assignFlat(variables, state.params);
  let stepCount = 0;
  return {
    step(loss) {
      const { value, grads } = tf.variableGrads(loss, [...variables]);
      const slot = state.gradSlots[spec.rank]!;
      let offset = 0;
      for (const v of variables) {
        const g = grads[v.name];
        if (g === undefined) slot.fill(0, offset, offset + v.size);
        else slot.set(g.dataSync() as Float32Array, offset);
        offset += v.size;
      }
      state.losses[spec.rank] = value.dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      stepCount += 1;
      barrierWait(state.control, spec.replicas);
      adamRange(state.params, state.m, state.v, state.gradSlots, start, end, stepCount, hyper);
      barrierWait(state.control, spec.replicas);
      assignFlat(variables, state.params);
      let sum = 0;
      for (let r = 0; r < spec.replicas; r++) sum += state.losses[r]!;
      return sum / spec.replicas;
    },
  };
}
