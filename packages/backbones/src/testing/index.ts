export { describeBackboneContract, studiesOf, type BackboneContractOptions, type ContractFactory } from './contract-suite';
export {
  CONTRACT_CHECKS, checkDeclarations, checkFiniteLosses, checkOnlyMatchesFull, checkGradientReach, checkDeterminism,
  checkStateMutation, checkNoLeaks, checkGenerate, checkConfigRoundTrip, checkTokenizer, checkRepresentationSplit,
  type ContractCheckContext,
} from './contract-checks';
export { syntheticBatch } from './synthetic-batch';
export { createExampleBackbone, EXAMPLE_DEFAULTS, type ExampleConfig } from './example-backbone';
