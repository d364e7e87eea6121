import type { Corpus } from '../contract';
import { createNormal } from '../random/seed';
import { deriveSeed } from '../random/seed';
import { kMeans } from '../wcl/kmeans';
import { fitTfIdf, tfIdfVector } from '../wcl/tfidf';

/** Options of {@link prototypeTextHalves}. */
export interface PrototypeTextInitOptions {
  readonly numClasses: number;
  readonly prototypesPerClass: number;
  /** Width of each prototype's text half. */
  readonly textDim: number;
  readonly seed: number;
}

/** Text halves of the prototypes: `values` `[classes·m, textDim]`, and which classes had reports. */
export interface PrototypeTextInit {
  readonly values: Float32Array;
  /** Per class: whether any training report was positive for it (classes without keep their random rows). */
  readonly initialised: readonly boolean[];
}

/**
 * XProNet initialises its prototypes by clustering, per class, the features of the training
 * studies positive for that class. The text half here: each training report's TF-IDF vector,
 * reduced to `textDim` by a seeded Gaussian random projection and L2-normalised, then K-means
 * (k = m) over the reports positive for the class (CheXpert code 1 or uncertain −1, the U-Ones
 * reading the batches use); the m centroids become the class's m text halves (cycled when the
 * class has fewer than m reports). Deterministic in the corpus and the seed.
 */
export function prototypeTextHalves(corpus: Corpus, options: PrototypeTextInitOptions): PrototypeTextInit {
  const { numClasses, prototypesPerClass: m, textDim, seed } = options;
  const values = new Float32Array(numClasses * m * textDim);
  const initialised = new Array<boolean>(numClasses).fill(false);
  const labelled = corpus.train.filter((s) => s.labels14 !== undefined);
  if (labelled.length === 0) return { values, initialised };
  const tfidf = fitTfIdf(labelled.map((s) => s.report));
  const normal = createNormal(deriveSeed(seed, 'xpronet.textProjection'));
  const vocab = tfidf.idf.length;
  const projection = Float64Array.from({ length: vocab * textDim }, () => normal() / Math.sqrt(textDim));
  const features = labelled.map((s) => {
    const v = tfIdfVector(tfidf, s.report);
    const out = new Float64Array(textDim);
    for (let i = 0; i < vocab; i++) {
      const x = v[i] as number;
      if (x === 0) continue;
      for (let j = 0; j < textDim; j++) out[j] = (out[j] as number) + x * (projection[i * textDim + j] as number);
    }
    const norm = Math.sqrt(out.reduce((a, x) => a + x * x, 0));
    return norm > 0 ? out.map((x) => x / norm) : out;
  });
  for (let c = 0; c < numClasses; c++) {
    const points = features.filter((_, i) => {
      const code = (labelled[i]?.labels14 as Int8Array)[c];
      return code === 1 || code === -1;
    });
    if (points.length === 0) continue;
    const { centroids } = kMeans(points, Math.min(m, points.length), deriveSeed(seed, `xpronet.prototypes/${c}`));
    for (let j = 0; j < m; j++) values.set(centroids[j % centroids.length] as Float64Array, (c * m + j) * textDim);
    initialised[c] = true;
  }
  return { values, initialised };
}
