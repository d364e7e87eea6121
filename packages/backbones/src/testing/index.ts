export { describeBackboneContract, type BackboneContractOptions, type ContractFactory } from './contract-suite';
export { syntheticBatch } from './synthetic-batch';
export { createExampleBackbone, EXAMPLE_DEFAULTS, type ExampleConfig } from './example-backbone';
