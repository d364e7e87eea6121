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
