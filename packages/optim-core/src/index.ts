export type { Matrix, Gramian, GradientRows, GramianLike, StepContext, MethodConfig, WeightingOutput, Weighting } from './types';
export {
  CameError,
  InvalidOptionError,
  ShapeError,
  NonFiniteError,
  SolverError,
  UnknownIdError,
  ContractError,
  UndefinedResultError,
} from './errors';

// K-space maths (gram/)
export { gramian } from './gram/gramian';
export { toGramian } from './gram/to-gramian';
export { combine } from './gram/combine';
export { normalizeGramian } from './gram/normalize';
export type { NormalizedGramian } from './gram/normalize';
export { minNormPoint } from './gram/min-norm';
export type { MinNormResult } from './gram/min-norm';
export { solveCAGradDual } from './gram/cagrad-dual';
export type { CAGradDualResult } from './gram/cagrad-dual';
export { projectDualCone } from './gram/dual-cone';
export type { DualConeProjection } from './gram/dual-cone';
export { symEigen } from './gram/sym-eigen';
export type { SymEigen } from './gram/sym-eigen';

// Aggregators
export { gramianWeighted } from './aggregators/aggregator';
export type { Aggregator, AggregateResult, AggregationInfo, GramWeightsResult } from './aggregators/aggregator';
export { defineWeighting } from './aggregators/define-weighting';
export type { WeightingSpec } from './aggregators/define-weighting';
export { createAggregator, createWeighting, getMethod, METHODS, AGGREGATOR_IDS } from './aggregators/registry';
export type { AggregatorId, OptionsOf, InfoOf, MethodEntry, MethodProperties } from './aggregators/registry';
export { createCameGrad, CAME_GRAD_DEFAULTS } from './aggregators/came-grad';
export type { CameGradOptions, CameGradInfo, CameGradStages } from './aggregators/came-grad';
export { createCAGrad, CAGRAD_DEFAULTS } from './aggregators/cagrad';
export type { CAGradOptions, CAGradInfo } from './aggregators/cagrad';
export { createMGDA, MGDA_DEFAULTS } from './aggregators/mgda';
export type { MGDAOptions, MGDAInfo } from './aggregators/mgda';
export { createLinear, LINEAR_DEFAULTS } from './aggregators/linear';
export type { LinearOptions, LinearInfo } from './aggregators/linear';

// Diagnostics
export { computeStepDiagnostics } from './diagnostics/step-diagnostics';
export type { StepDiagnostics, StageDiagnostics, RectifyBranch } from './diagnostics/step-diagnostics';
