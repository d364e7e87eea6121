export { MultiTaskOptimizer } from './multi-task-optimizer';
export type { MultiTaskStepOptions, MultiTaskStepResult, SkipReason } from './multi-task-optimizer';
export type { MultiTaskOptimizerOptions, ParamScope, CombineStrategy, MethodSpec } from './multi-task-options';
export type { ClipOption } from './clip';
export type { LossesFn, ForwardStrategy } from './jacobian';
export type { RepresentationLosses } from './representation';
export { registerCameOptimizers } from './register';
export { AdamW, ADAMW_DEFAULTS } from './adamw';
export type { AdamWOptions, AdamWGroup } from './adamw';
