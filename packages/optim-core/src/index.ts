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
export type { Aggregator, AggregateOptions, AggregateResult, AggregationInfo, GramWeightsResult } from './aggregators/aggregator';
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
export { createPCGrad, PCGRAD_DEFAULTS } from './aggregators/pcgrad';
export type { PCGradOptions, PCGradInfo, PCGradOrder } from './aggregators/pcgrad';
export { createIMTLG, IMTL_G_DEFAULTS } from './aggregators/imtl-g';
export type { IMTLGOptions, IMTLGInfo } from './aggregators/imtl-g';
export { createNashMTL, NASH_MTL_DEFAULTS } from './aggregators/nash-mtl';
export type { NashMTLOptions, NashMTLInfo } from './aggregators/nash-mtl';
export { createAlignedMTL, ALIGNED_MTL_DEFAULTS } from './aggregators/aligned-mtl';
export type { AlignedMTLOptions, AlignedMTLInfo } from './aggregators/aligned-mtl';
export { createUPGrad, UPGRAD_DEFAULTS } from './aggregators/upgrad';
export type { UPGradOptions, UPGradInfo } from './aggregators/upgrad';
export { createDualProj, DUALPROJ_DEFAULTS } from './aggregators/dualproj';
export type { DualProjOptions, DualProjInfo } from './aggregators/dualproj';
export { createMMPareto, MMPARETO_DEFAULTS } from './aggregators/mmpareto';
export type { MMParetoOptions, MMParetoInfo } from './aggregators/mmpareto';

// Diagnostics
export { computeStepDiagnostics } from './diagnostics/step-diagnostics';
export type { StepDiagnostics, StageDiagnostics, RectifyBranch } from './diagnostics/step-diagnostics';
export { ConflictTracker } from './diagnostics/conflict-tracker';
export type { ConflictSummary, ConflictTrackerState, PairConflictStats, EnergyRatioStats } from './diagnostics/conflict-tracker';

// Loss weightings with state (scalarizers/)
export type { Scalarizer, ScalarizerFeedback, ScalarizerOutput, ScalarizerRequirements } from './scalarizers/scalarizer';
export { createScalarizer, scalarizerFromConfig, SCALARIZERS, SCALARIZER_IDS } from './scalarizers/scalarizer-registry';
export { createUW, UW_DEFAULTS } from './scalarizers/uw';
export type { UWOptions, UWState, UWInfo } from './scalarizers/uw';
export { createDWA, DWA_DEFAULTS } from './scalarizers/dwa';
export type { DWAOptions, DWAState, DWAInfo } from './scalarizers/dwa';
export { createGradNorm, GRADNORM_DEFAULTS } from './scalarizers/gradnorm';
export type { GradNormOptions, GradNormState, GradNormInfo } from './scalarizers/gradnorm';
export { createFAMO, FAMO_DEFAULTS } from './scalarizers/famo';
export type { FAMOOptions, FAMOState, FAMOInfo } from './scalarizers/famo';
export { createRLW, RLW_DEFAULTS } from './scalarizers/rlw';
export type { RLWOptions, RLWState, RLWInfo } from './scalarizers/rlw';
export type { ParameterOptimizerKind, ParameterOptimizerState } from './scalarizers/parameter-optimizer';
export { createSeededRng } from './scalarizers/seeded-rng';
export type { SeededRng, RngState } from './scalarizers/seeded-rng';
export { rotoGradMagnitude, rotoGradTarget, rotationLoss, initialRotoGradState, ROTOGRAD_DEFAULTS } from './scalarizers/rotograd';
export type { RotoGradOptions, RotoGradMagnitude, RotoGradMagnitudeState } from './scalarizers/rotograd';
