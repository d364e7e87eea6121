import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `f` (a per-task backward pass nested inside the forward's tape) without recording its
 * kernels on that tape. tfjs records every kernel run while any gradient scope is open, and saves
 * a clone (an Identity kernel) of each input a gradient needs: for K nested backward passes that
 * is thousands of recorded nodes and clones per step that nobody differentiates (they only exist
 * for higher-order gradients). The engine stops recording inside a kernel (`kernelDepth > 0`,
 * which is how a kernel's own sub-ops stay off the tape); raising that counter around `f` gives
 * the same effect without touching the tape itself, which the next task's backward still reads.
 */
export function untaped<T>(f: () => T): T {
  const state = tf.engine().state;
  state.kernelDepth++;
  try {
    return f();
  } finally {
    state.kernelDepth--;
  }
}
