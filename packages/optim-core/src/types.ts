/**
 * Shared types of `@came-grad/optim-core`. All maths is float64; inputs may be float32.
 */

/** A dense row-major matrix in float64. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

declare const gramianBrand: unique symbol;
/**
 * A validated K×K Gram matrix M = G Gᵀ (symmetric to 1e-12 relative, non-negative diagonal,
 * finite). Build one with `toGramian` or `gramian(rows)`; methods never re-validate it.
 */
export type Gramian = Matrix & { readonly [gramianBrand]: true };

/** K task-gradient rows of equal length D: the Jacobian G in row form. */
export type GradientRows = readonly ArrayLike<number>[];

/** A K×K matrix given as nested arrays, or an already built Gramian. */
export type GramianLike = Gramian | readonly (readonly number[])[];

/** Per-step context that a training loop passes to a weighting. */
export interface StepContext {
  /**
   * The backbone's linear-scalarisation weights ω for this step. Overrides the method's
   * `weights` option, so that scheduled loss weights (TGRG's annealing, epoch-gated terms)
   * reach CAME-Grad's S2/S3 and the diagnostics.
   */
  readonly taskWeights?: readonly number[];
  /** Zero-based optimizer step, for methods and logs that need it. */
  readonly step?: number;
}

/** Serialisable description of a configured method: `createAggregator(c.id, c.options)` rebuilds it. */
export interface MethodConfig {
  readonly id: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** The output of a weighting: K coefficients f with g = Σ f_i g_i, plus method-specific info. */
export interface WeightingOutput<Info extends object = object> {
  readonly weights: Float64Array;
  readonly info: Info;
}

/**
 * A Gram weighting: a pure map from the K×K Gram matrix (and the step's ω) to K weights.
 * Every gradient-based method in this package, CAME-Grad included, is one.
 */
export interface Weighting<Info extends object = object> {
  readonly id: string;
  /** ω used by default when the step context gives none (length K, or undefined = all ones). */
  readonly taskWeights: readonly number[] | undefined;
  /**
   * True when the weights never depend on M (linear scalarisation): a trainer may then skip the
   * per-task gradients and take one backward pass of Σ f_i L_i.
   */
  readonly gramFree?: boolean;
  weigh(gram: Gramian, ctx?: StepContext): WeightingOutput<Info>;
  toConfig(): MethodConfig;
  toString(): string;
}
