import { describe, expect, it } from 'vitest';
import { MetricsDataError, MetricsError, MetricsInputError, MetricsOptionError, describeValue } from './errors.js';

describe('errors', () => {
  it('formats input errors with the field, index and both halves of the template', () => {
    const e = new MetricsInputError('hyps', 'a string', describeValue(42), 3);
    expect(e.message).toBe('`hyps[3]` should be a string. Found number 42.');
    expect(e.field).toBe('hyps');
    expect(e.index).toBe(3);
    expect(e.code).toBe('INPUT');
    expect(e.name).toBe('MetricsInputError');
    expect(e).toBeInstanceOf(MetricsError);
    expect(MetricsError.isInstance(e)).toBe(true);
    expect(MetricsError.isInstance(new Error('x'))).toBe(false);
  });

  it('omits the index when none is given', () => {
    const e = new MetricsInputError('refs', 'an array of 2 reference lists', 'an array of length 3');
    expect(e.message).toBe('`refs` should be an array of 2 reference lists. Found an array of length 3.');
    expect(e.index).toBeUndefined();
  });

  it('formats option and data errors', () => {
    expect(new MetricsOptionError('threshold', 'a positive integer', -1).message).toBe('`threshold` should be a positive integer. Found number -1.');
    expect(new MetricsDataError('phrases/mention/edema.txt', 'non-empty lines', 'an empty line at 4').code).toBe('DATA');
  });

  it('describes values briefly', () => {
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue('a'.repeat(50))).toBe(`the string "${'a'.repeat(40)}…"`);
    expect(describeValue([1, 2])).toBe('an array of length 2');
    expect(describeValue({})).toBe('a value of type object');
  });
});
