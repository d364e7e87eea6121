import * as tf from '@tensorflow/tfjs-core';
import type { AggregationInfo } from '../aggregators/aggregator';
import { NonFiniteError, ShapeError } from '../errors';
import type { StepContext } from '../types';
import { combineBlocks } from './combine';
import { deviceGram } from './device-gram';
import { disposeBlocks, taskGradients } from './jacobian';
import type { LossesFn } from './jacobian';
import { resolveMethod } from './multi-task-options';
import type { MethodSpec } from './multi-task-options';
import { weighActiveTasks } from './weigh-active-tasks';

/** Output of {@link TensorAggregator.aggregate}. The caller owns (and disposes) `direction`. */
export interface TensorAggregateResult {
  /** Σ_i weights[i]·J[i] on the device (float32), length n. */
  readonly direction: tf.Tensor1D;
  readonly weights: Float64Array;
  readonly info: AggregationInfo<object>;
}

/** The tfjs form of an aggregator: J [K, n] in, Σ f_i J_i out; only J·Jᵀ and f·J touch the device. */
export interface TensorAggregator {
  readonly id: string;
  aggregate(J: tf.Tensor2D, ctx?: StepContext): TensorAggregateResult;
}

/**
 * Wraps any method (id, config, Weighting or Aggregator) as a {@link TensorAggregator}: the Gram is
 * built on the device with float64 accumulation (and the power-of-two prescale of came-grad.md §6),
 * the weights are solved in float64 on the host, and the combination runs on the device.
 * A non-finite entry of J throws `NonFiniteError` (this is a pure function, not a training step).
 */
export function createTensorAggregator(method: MethodSpec = 'came-grad'): TensorAggregator {
  const aggregator = resolveMethod(method);
  return {
    id: aggregator.id,
    aggregate(J, ctx) {
      if (!(J instanceof tf.Tensor) || J.rank !== 2 || J.shape[0] === 0 || J.shape[1] === 0) {
        throw new ShapeError('J', 'a [K, n] tf.Tensor2D with K ≥ 1 and n ≥ 1', J instanceof tf.Tensor ? `shape [${J.shape.join(', ')}]` : typeof J);
      }
      const K = J.shape[0];
      const rows = tf.unstack(J);
      try {
        const gram = deviceGram([rows], K);
        if (gram.data === null) throw new NonFiniteError('J', undefined, gram.maxAbs);
        const omega = Float64Array.from(ctx?.taskWeights ?? aggregator.weighting.taskWeights ?? new Array<number>(K).fill(1));
        if (omega.length !== K) throw new ShapeError('ctx.taskWeights', `length ${K} (one weight per row of J)`, `length ${omega.length}`);
        const active = Array.from({ length: K }, (_, i) => i);
        const d = weighActiveTasks(aggregator, gram.data, active, omega, ctx ?? {});
        const direction = combineBlocks([rows], d.f)[0] as tf.Tensor1D;
        return { direction, weights: d.f, info: d.info };
      } finally {
        tf.dispose(rows);
      }
    },
  };
}

/**
 * The K×n task Jacobian of one forward pass: row i is ∂L_i/∂θ flattened over `variables` in order
 * (zeros where task i does not reach a variable). One forward serves all K backward passes.
 * Throws `NonFiniteError` naming the task when a loss is non-finite. The caller owns the result.
 */
export function taskJacobian(lossesFn: LossesFn, variables: readonly tf.Variable[]): tf.Tensor2D {
  if (!Array.isArray(variables) || variables.length === 0) throw new ShapeError('variables', 'a non-empty list of tf.Variable', 'none');
  const tg = taskGradients(lossesFn, variables, 'once');
  if (!tg.finite || tg.grads === null) {
    const i = tg.losses.findIndex((x) => !Number.isFinite(x));
    throw new NonFiniteError('lossesFn()', i, tg.losses[i]);
  }
  const blocks = tg.grads;
  try {
    return tf.tidy(() =>
      tf.stack(
        Array.from(tg.losses, (_, i) =>
          tf.concat(blocks.map((block, v) => tf.reshape(block[i] ?? tf.zerosLike(variables[v] as tf.Variable), [-1]))),
        ),
      ),
    ) as tf.Tensor2D;
  } finally {
    disposeBlocks(blocks);
  }
}
