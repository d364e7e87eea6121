/**
 * Python `str` whitespace semantics. The reference implementations (R2Gen, pycocoevalcap) call
 * `str.split()` and `str.strip()` without arguments; those use `str.isspace()`, which differs
 * from JavaScript's `\s`: Python also treats U+001C–U+001F and U+0085 as whitespace, and does
 * not treat U+FEFF as whitespace. Using `String.prototype.trim` would disagree on those.
 */
/** Body of a regex character class matching one Python whitespace character. */
export const PY_WHITESPACE_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING = new RegExp(`^[${PY_WHITESPACE_CLASS}]+`);
const TRAILING = new RegExp(`[${PY_WHITESPACE_CLASS}]+$`);
const RUNS = new RegExp(`[${PY_WHITESPACE_CLASS}]+`);
const ONLY_ASCII_PLAIN = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;

/** Python `s.strip()`: removes leading and trailing Python whitespace. */
export function pyStrip(s: string): string {
  return s.replace(LEADING, '').replace(TRAILING, '');
}

/** Python `s.split()`: splits on runs of Python whitespace and drops empty pieces. */
export function pySplit(s: string): string[] {
  // Fast path for the common case of single-space-joined printable ASCII tokens.
  if (ONLY_ASCII_PLAIN.test(s)) return s === '' ? [] : s.split(' ');
  const stripped = pyStrip(s);
  return stripped === '' ? [] : stripped.split(RUNS);
}

/** Python `s.replace(a, b)`: every non-overlapping occurrence, scanning left to right. */
export function pyReplace(s: string, a: string, b: string): string {
  return s.split(a).join(b);
}
