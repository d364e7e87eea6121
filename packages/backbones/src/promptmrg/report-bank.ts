import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import type { Corpus } from '../contract';
import { createNormal, deriveSeed } from '../random/seed';

/** Lower-case alphabetic words of a raw report (the bank must not depend on the dataset's cleaner). */
function words(report: string): string[] {
  return report.toLowerCase().match(/[a-z]+/g) ?? [];
}

/**
 * A bank of training-report embeddings for PromptMRG-style retrieval (`specs/backbones.md` §5:
 * "TF-IDF/SVD, 32-d, computed offline"). Each report becomes its TF-IDF vector (raw counts ×
 * smoothed idf `ln((1 + N) / (1 + df)) + 1`, L2-normalised) projected to `dim` dimensions by a
 * seeded Gaussian random projection, then L2-normalised again. The projection of a word is drawn
 * from `deriveSeed(seed, 'bank/' + word)`, so the bank depends only on the corpus and the seed,
 * never on the order in which words are met. A random projection replaces the SVD: it preserves
 * cosines in expectation (Johnson–Lindenstrauss) and needs no eigen-solver.
 */
export class ReportBank {
  /** `[N, dim]` unit rows, one per training report, in corpus order. */
  readonly matrix: tf.Tensor2D;
  readonly #rows: Float32Array;
  readonly #idf: Map<string, number>;

  private constructor(rows: Float32Array, idf: Map<string, number>, readonly size: number, readonly dim: number, readonly seed: number) {
    this.#rows = rows;
    this.#idf = idf;
    this.matrix = tf.tensor2d(rows, [size, dim], 'float32');
  }

  /**
   * Builds the bank from the training split.
   * @throws InvalidOptionError when the corpus is empty or `dim` is not a positive integer
   */
  static fromCorpus(corpus: Corpus, dim: number, seed: number): ReportBank {
    const n = corpus.train.length;
    if (n === 0) throw new InvalidOptionError('corpus.train', 'at least one training report', 0);
    if (!Number.isInteger(dim) || dim < 1) throw new InvalidOptionError('dim', 'a positive integer', dim);
    const df = new Map<string, number>();
    const docs = corpus.train.map((s) => words(s.report));
    for (const doc of docs) for (const w of new Set(doc)) df.set(w, (df.get(w) ?? 0) + 1);
    const idf = new Map<string, number>();
    for (const [w, count] of df) idf.set(w, Math.log((1 + n) / (1 + count)) + 1);
    const probe = new ReportBank(new Float32Array(0), idf, 0, dim, seed);
    const rows = new Float32Array(n * dim);
    docs.forEach((doc, i) => rows.set(probe.#embedWords(doc), i * dim));
    probe.dispose();
    return new ReportBank(rows, idf, n, dim, seed);
  }

  #projection(word: string): Float64Array {
    const normal = createNormal(deriveSeed(this.seed, `bank/${word}`));
    return Float64Array.from({ length: this.dim }, () => normal());
  }

  #embedWords(doc: readonly string[]): Float32Array {
    const counts = new Map<string, number>();
    for (const w of doc) if (this.#idf.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
    let tfidfNorm = 0;
    const weights = new Map<string, number>();
    for (const [w, c] of counts) {
      const x = c * (this.#idf.get(w) as number);
      weights.set(w, x);
      tfidfNorm += x * x;
    }
    const out = new Float64Array(this.dim);
    if (tfidfNorm === 0) return new Float32Array(this.dim);
    // Sorted so that the float sums do not depend on the report's word order.
    for (const w of [...weights.keys()].sort()) {
      const g = this.#projection(w);
      const x = (weights.get(w) as number) / Math.sqrt(tfidfNorm);
      for (let j = 0; j < this.dim; j++) out[j] = (out[j] as number) + x * (g[j] as number);
    }
    const norm = Math.sqrt(out.reduce((a, b) => a + b * b, 0));
    return Float32Array.from(out, (v) => (norm > 0 ? v / norm : 0));
  }

  /** The bank embedding of any report (words unseen in the corpus are ignored); a zero vector if none is known. */
  embed(report: string): Float32Array {
    return this.#embedWords(words(report));
  }

  /** Row `i` of the bank (a copy). */
  row(i: number): Float32Array {
    return this.#rows.slice(i * this.dim, (i + 1) * this.dim);
  }

  /**
   * The `k` rows most similar (inner product, i.e. cosine for unit queries) to each query, best
   * first; ties go to the lower index. `queries` is row-major `[B, dim]`; the result `[B, k]`.
   * @throws InvalidOptionError when `k` exceeds the bank or the queries are not `[B, dim]`
   */
  topK(queries: Float32Array, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 1 || k > this.size) throw new InvalidOptionError('retrievalK', `an integer in [1, ${this.size}] (the bank size)`, k);
    if (queries.length % this.dim !== 0) throw new InvalidOptionError('queries.length', `a multiple of ${this.dim}`, queries.length);
    const b = queries.length / this.dim;
    const out = new Int32Array(b * k);
    const scores = new Float64Array(this.size);
    const order = Array.from({ length: this.size }, (_, i) => i);
    for (let q = 0; q < b; q++) {
      for (let i = 0; i < this.size; i++) {
        let s = 0;
        for (let j = 0; j < this.dim; j++) s += (queries[q * this.dim + j] as number) * (this.#rows[i * this.dim + j] as number);
        scores[i] = s;
      }
      order.sort((x, y) => (scores[y] as number) - (scores[x] as number) || x - y);
      for (let j = 0; j < k; j++) out[q * k + j] = order[j] as number;
    }
    return out;
  }

  /** Frees the bank tensor. */
  dispose(): void {
    this.matrix.dispose();
  }
}
