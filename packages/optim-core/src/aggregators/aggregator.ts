import { computeStepDiagnostics } from '../diagnostics/step-diagnostics';
import type { StageDiagnostics, StepDiagnostics } from '../diagnostics/step-diagnostics';
import { combineWith } from '../gram/combine';
import { gramianWith } from '../gram/gramian';
import type { KernelCache } from '../gram/wasm-kernel';
import { toGramian } from '../gram/to-gramian';
import type { GradientRows, Gramian, GramianLike, MethodConfig, StepContext, Weighting } from '../types';
import { resolveTaskWeights } from './options';

/** A weighting's info plus the per-step diagnostics of came-grad.md §7. */
export type AggregationInfo<Info extends object> = Info & { readonly diagnostics: StepDiagnostics };

/** Output of {@link Aggregator.weights}: K weights f (g = Σ f_i g_i) and info. */
export interface GramWeightsResult<Info extends object> {
  readonly weights: Float64Array;
  readonly info: AggregationInfo<Info>;
}

/** Output of {@link Aggregator.aggregate}. */
export interface AggregateResult<Info extends object> extends GramWeightsResult<Info> {
  /** Σ_i weights[i]·rows[i], float64, length D. */
  readonly direction: Float64Array;
}

/** Options of {@link Aggregator.aggregate}. */
export interface AggregateOptions {
  /** A reusable Float64Array(D) for the direction; it is overwritten and returned. */
  readonly out?: Float64Array;
}

/**
 * A multi-task gradient aggregator over plain arrays. `aggregate` forms M = GGᵀ (float64), runs the
 * weighting in K-space and combines the rows; `weights` is the Gram-level entry for bindings that
 * form M and the combination themselves (on a GPU, say).
 */
export interface Aggregator<Info extends object = object> {
  readonly id: string;
  /** The pure K-space map this aggregator runs. */
  readonly weighting: Weighting<Info>;
  /** `options.out` (length D) receives the direction instead of a new array (see `combine`). */
  aggregate(rows: GradientRows, ctx?: StepContext, options?: AggregateOptions): AggregateResult<Info>;
  weights(gram: GramianLike, ctx?: StepContext): GramWeightsResult<Info>;
  toConfig(): MethodConfig;
  toString(): string;
}

/**
 * Wraps a Gram weighting into an {@link Aggregator}. Only M and the final combination touch
 * D-dimensional data; the solve is deterministic float64 on K×K. ω for the diagnostics is
 * `ctx.taskWeights`, else the weighting's `taskWeights`, else all ones.
 */
export function gramianWeighted<Info extends object>(weighting: Weighting<Info>): Aggregator<Info> {
  const run = (gram: Gramian, ctx: StepContext | undefined): GramWeightsResult<Info> => {
    const out = weighting.weigh(gram, ctx);
    const omega = resolveTaskWeights(gram.rows, ctx, weighting.taskWeights);
    const stages = (out.info as { stages?: StageDiagnostics }).stages;
    const diagnostics = computeStepDiagnostics(gram, omega, out.weights, stages);
    return { weights: out.weights, info: { ...out.info, diagnostics } };
  };
  // The D-space kernel (WebAssembly, when available) is created on first use and kept by this
  // aggregator: both the Gram and the combination run on it.
  const kernelCache: KernelCache = { kernel: undefined };
  return {
    id: weighting.id,
    weighting,
    aggregate(rows, ctx, options) {
      const gram = gramianWith(rows, kernelCache);
      const result = run(gram, ctx);
      return { ...result, direction: combineWith(rows, result.weights, options?.out, kernelCache) };
    },
    weights(gram, ctx) {
      return run(toGramian(gram), ctx);
    },
    toConfig: () => weighting.toConfig(),
    toString: () => weighting.toString(),
  };
}
