import type { Corpus } from '../contract';
import { kMeans, nearestCentroid } from './kmeans';
import { fitTfIdf, tfIdfVector, type TfIdfModel } from './tfidf';

/**
 * WCL's weak supervision: every training report's cluster id. The released code reads ids from a
 * precomputed `cluster_annotation.json` (K-means over report embeddings; script and K not
 * published); here K-means runs over the L2-normalised TF-IDF vectors of the training reports.
 */
export class ReportClusters {
  readonly #byId: Map<string, number>;
  readonly #tfidf: TfIdfModel;
  readonly #centroids: Float64Array[];

  private constructor(byId: Map<string, number>, tfidf: TfIdfModel, centroids: Float64Array[]) {
    this.#byId = byId;
    this.#tfidf = tfidf;
    this.#centroids = centroids;
  }

  /** Clusters the training reports into `k` groups (fewer reports than `k`: one cluster per report at most). */
  static fit(corpus: Corpus, k: number, seed: number): ReportClusters {
    const tfidf = fitTfIdf(corpus.train.map((s) => s.report));
    const vectors = corpus.train.map((s) => tfIdfVector(tfidf, s.report));
    const { centroids, assignments } = kMeans(vectors, Math.min(k, vectors.length), seed);
    const byId = new Map<string, number>();
    corpus.train.forEach((s, i) => byId.set(s.id, assignments[i] as number));
    return new ReportClusters(byId, tfidf, centroids);
  }

  /** Number of clusters. */
  get size(): number {
    return this.#centroids.length;
  }

  /** The study's training cluster, or the nearest centroid of its report for a study outside the corpus. */
  clusterOf(id: string, report: string): number {
    return this.#byId.get(id) ?? nearestCentroid(this.#centroids, tfIdfVector(this.#tfidf, report));
  }
}
