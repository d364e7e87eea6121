/**
 * The interface of the loss-weighting methods (UW, DWA, GradNorm, FAMO, RLW; mtl-methods.md §4).
 * They weight the task *losses*, so the trainer back-propagates Σ λ_i L_i once, and they carry
 * state across steps. That state is a plain JSON object, saved and restored with a checkpoint
 * for an exact resume.
 *
 * Call order in a training loop, identical for every method (the trainer never branches on an id):
 * ```
 * s.init(K, seed)                                  // once
 * each step:  λ = s.lossWeights(losses).weights    // pure: does not change the state
 *             model step on Σ λ_i L_i
 *             s.update({ losses, lossesAfter?, gradNorms? })   // what `s.requires` asks for
 * each epoch end:  s.endEpoch()
 * ```
 */
import type { MethodConfig } from '../types';

/** The per-step observations a scalarizer learns from. */
export interface ScalarizerFeedback {
  /** The unweighted task losses of this step, measured before the model update. */
  readonly losses: readonly number[];
  /** FAMO: the same batch's losses re-evaluated after the model update (one extra forward). */
  readonly lossesAfter?: readonly number[];
  /** GradNorm: ‖∇_W L_i‖, the unweighted per-task gradient norms at the shared weights W. */
  readonly gradNorms?: readonly number[];
}

/** Which optional feedback fields a method needs; the trainer computes only those. */
export interface ScalarizerRequirements {
  readonly lossesAfter: boolean;
  readonly gradNorms: boolean;
}

/** The weights to put on the losses this step, and what the method wants logged. */
export interface ScalarizerOutput<Info extends object = object> {
  readonly weights: Float64Array;
  readonly info: Info;
}

/** A stateful loss-weighting method. `State` is JSON-serialisable. */
export interface Scalarizer<State extends object = object, Info extends object = object> {
  /** The registry id (`'uw'`, `'dwa'`, `'gradnorm'`, `'famo'`, `'rlw'`), a fixed string. */
  readonly id: string;
  readonly requires: ScalarizerRequirements;
  /** (Re)initialise the state for K tasks. `seed` feeds the method's RNG (only RLW draws). */
  init(K: number, seed?: number): void;
  /** λ for this step's losses. Pure: calling it twice gives the same answer. */
  lossWeights(losses: readonly number[]): ScalarizerOutput<Info>;
  /** Learn from this step (after the model update). */
  update(feedback: ScalarizerFeedback): void;
  /** Close the current epoch (DWA, and GradNorm's LibMTL variant, use epoch means). */
  endEpoch(): void;
  /** A deep copy of the state. */
  getState(): State;
  /** Restore a state from `getState` (validated; the method must have been built with the same options). */
  setState(state: State): void;
  toConfig(): MethodConfig;
  toString(): string;
}
