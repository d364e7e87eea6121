// Public API of @came-grad/metrics: explicit named exports only.
export { MetricsError, MetricsInputError, MetricsOptionError, MetricsDataError, describeValue } from './errors.js';
export type { MetricsErrorCode } from './errors.js';
