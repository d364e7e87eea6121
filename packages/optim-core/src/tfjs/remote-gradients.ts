import type * as tf from '@tensorflow/tfjs-core';

/**
 * Per-task gradients that another thread (or process) computes while this one differentiates the
 * other tasks: task parallelism for the one-forward strategy. The caller starts the remote work
 * before {@link MultiTaskOptimizer.step} (same weights, same batch, same step context, so the
 * remote gradients equal those a local backward pass would give) and hands this object to the step.
 */
export interface RemoteTaskGradients {
  /** Indices into the step's K losses of the tasks computed remotely; the step gives them no local backward pass. */
  readonly tasks: readonly number[];
  /**
   * Blocks until the remote gradients are ready. Returns, for each entry of `tasks` in order, one
   * gradient per variable of `xs` (`undefined` where the task does not reach the variable). The
   * caller owns the tensors. Called exactly once per step, also when the step is skipped.
   */
  collect(xs: readonly tf.Variable[]): (tf.Tensor | undefined)[][];
}
