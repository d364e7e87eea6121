export {
  arbJacobian,
  arbStronglyStationary,
  arbWeaklyStationary,
  arbNonStationary,
  arbSpecialJacobian,
  arbScale,
  arbTaskWeights,
  arbPermutation,
  FAMILY_KS,
  FAMILY_DS,
  SCALES,
  EQUIVARIANCE_SCALES,
  POWER_OF_TWO_SCALES,
} from './arbitraries';
export type { ArbJacobianOptions, Dim } from './arbitraries';
export {
  seededUniform,
  seededNormal,
  randomJacobian,
  randomStronglyStationary,
  randomWeaklyStationary,
  randomNonStationary,
  identicalRows,
  nearlyParallelRows,
} from './random-matrix';
export {
  assertFiniteStructure,
  assertPermutationEquivariant,
  assertScaleEquivariant,
  assertWeightsBitwiseInvariant,
  assertNonConflicting,
  assertLinearUnderScaling,
  assertNonZeroWhenNotStationary,
  assertDeterministicAndPure,
  norm,
  maxRowNorm,
  distance,
  scaleRows,
} from './asserts';
export type { AggregatorUnderTest, AssertOptions } from './asserts';
