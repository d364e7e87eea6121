/** Scores are shown in points (×100), as the paper prints them. */
export function points(value: number, digits = 2): string {
  return Number.isFinite(value) ? (value * 100).toFixed(digits) : 'n/a';
}

/** {@link points} with a `+` on positive values (differences). */
export function signed(value: number): string {
  const text = points(value);
  return value > 0 ? `+${text}` : text;
}

/** One Markdown pipe-table row. */
export const mdRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
