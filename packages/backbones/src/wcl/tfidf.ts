/**
 * TF-IDF over report words, fitted on the training split. WCL clusters the training reports and
 * XProNet initialises its prototypes' text halves from these vectors; the original code used
 * pretrained report encoders (WCL: an unpublished embedding, XProNet: CheXbert), which cannot be
 * downloaded here, so a corpus-fitted TF-IDF stands in for them.
 */
export interface TfIdfModel {
  /** Term → column, in first-seen order of the fitting corpus (deterministic). */
  readonly terms: ReadonlyMap<string, number>;
  /** Smoothed inverse document frequency per column: `ln((1 + n) / (1 + df)) + 1` (scikit-learn's `smooth_idf`). */
  readonly idf: Float64Array;
}

/** Lower-cased alphabetic words of a report (numbers and punctuation carry no finding). */
export function reportWords(report: string): string[] {
  return report.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** Fits the vocabulary and the smoothed IDF on `reports`. */
export function fitTfIdf(reports: readonly string[]): TfIdfModel {
  const terms = new Map<string, number>();
  const df: number[] = [];
  for (const report of reports) {
    const seen = new Set<number>();
    for (const w of reportWords(report)) {
      let col = terms.get(w);
      if (col === undefined) {
        col = terms.size;
        terms.set(w, col);
        df.push(0);
      }
      seen.add(col);
    }
    for (const col of seen) df[col] = (df[col] as number) + 1;
  }
  const n = reports.length;
  return { terms, idf: Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1) };
}

/** The L2-normalised TF-IDF vector of one report (raw term counts × IDF); unknown words are ignored. */
export function tfIdfVector(model: TfIdfModel, report: string): Float64Array {
  const v = new Float64Array(model.idf.length);
  for (const w of reportWords(report)) {
    const col = model.terms.get(w);
    if (col !== undefined) v[col] = (v[col] as number) + 1;
  }
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = (v[i] as number) * (model.idf[i] as number);
    norm += (v[i] as number) ** 2;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  }
  return v;
}
