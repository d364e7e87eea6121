import { MetricsInputError, describeValue } from '../errors.js';

/**
 * Checks the scorer input contract of pycocoevalcap (one hypothesis and at least one reference per
 * item, equal item counts) at the public boundary, naming the offending index.
 */
export function validatePairs(hyps: unknown, refs: unknown): asserts hyps is string[] {
  if (!Array.isArray(hyps)) throw new MetricsInputError('hyps', 'an array of strings', describeValue(hyps));
  if (!Array.isArray(refs)) throw new MetricsInputError('refs', 'an array of reference lists (string[][])', describeValue(refs));
  if (hyps.length === 0) throw new MetricsInputError('hyps', 'a non-empty array (pycocoevalcap cannot score an empty set)', 'an empty array');
  if (refs.length !== hyps.length) {
    throw new MetricsInputError('refs', `an array of ${hyps.length} reference lists, one per hypothesis`, `an array of length ${refs.length}`);
  }
  for (let i = 0; i < hyps.length; i++) {
    if (typeof hyps[i] !== 'string') throw new MetricsInputError('hyps', 'a string', describeValue(hyps[i]), i);
    const r: unknown = refs[i];
    if (!Array.isArray(r)) throw new MetricsInputError('refs', 'an array of reference strings', describeValue(r), i);
    if (r.length === 0) throw new MetricsInputError('refs', 'a non-empty array of reference strings', 'an empty array', i);
    for (let j = 0; j < r.length; j++) {
      if (typeof r[j] !== 'string') throw new MetricsInputError(`refs[${i}]`, 'a string', describeValue(r[j]), j);
    }
  }
}
