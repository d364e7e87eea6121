import * as tf from '@tensorflow/tfjs-core';
import type { CorpusStudy } from '../contract';
import type { ReportBank } from '../promptmrg/report-bank';
import { OBSERVATIONS } from '../promptmrg/cls-prompt-branch';

/**
 * The sentence embeddings of a report (REVTAF's MedCLIP `global_txt` at test scale): each
 * sentence (split on '.') embedded by the report bank, empty or unknown sentences skipped, the
 * first `maxSentences` kept; zero rows pad the rest. Returns `[maxSentences · dim]`.
 */
export function sentenceEmbeddings(bank: ReportBank, report: string, maxSentences: number): Float32Array {
  const out = new Float32Array(maxSentences * bank.dim);
  let n = 0;
  for (const sentence of report.split('.')) {
    if (n === maxSentences) break;
    const e = bank.embed(sentence);
    if (!e.some((x) => x !== 0)) continue;
    out.set(e, n * bank.dim);
    n++;
  }
  return out;
}

/**
 * Mask `[B, S]` of the non-zero rows of a sentence memory `[B, S, d]`; a study with none gets its
 * first (zero) row switched on, so the transport always has somewhere to send its mass.
 */
export function sentenceMask(memory: tf.Tensor3D): tf.Tensor2D {
  const [b, s] = memory.shape;
  const real = tf.cast(tf.greater(tf.sum(tf.abs(memory), 2), 0), 'float32');
  const none = tf.cast(tf.equal(tf.sum(real, 1, true), 0), 'float32');
  const first = tf.concat([tf.ones([b, 1]), tf.zeros([b, s - 1])], 1);
  return tf.add(real, tf.mul(none, first)) as tf.Tensor2D;
}

function states(codes: ArrayLike<number>): Int8Array {
  return Int8Array.from({ length: OBSERVATIONS }, (_, c) => {
    const v = codes[c];
    return v === 1 ? 1 : v === 0 ? 2 : v === -1 ? 3 : 0;
  });
}

/**
 * REVTAF's training-time retrieval (its precomputed `hash_distance` neighbour): for a training
 * study, the other training study whose 14 × 4 one-hot labels are nearest in Hamming distance
 * (ties to the earlier study), whose report's sentence embeddings become the study's retrieved
 * memory. It reads the study's own labels, so it serves `hostAux` (training) only.
 */
export class LabelNeighbours {
  readonly #ids: string[];
  readonly #states: Int8Array[];
  readonly #sentences: Float32Array[];

  constructor(train: readonly CorpusStudy[], bank: ReportBank, readonly maxSentences: number) {
    const labelled = train.filter((s) => s.labels14 !== undefined);
    this.#ids = labelled.map((s) => s.id);
    this.#states = labelled.map((s) => states(s.labels14 as Int8Array));
    this.#sentences = labelled.map((s) => sentenceEmbeddings(bank, s.report, maxSentences));
    this.dim = bank.dim;
  }

  readonly dim: number;

  /** Index (in the labelled corpus) of the nearest other study, or −1 when there is none. */
  nearest(study: CorpusStudy): number {
    if (study.labels14 === undefined) return -1;
    const mine = states(study.labels14);
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    this.#states.forEach((other, j) => {
      if (this.#ids[j] === study.id) return;
      let d = 0;
      for (let c = 0; c < OBSERVATIONS; c++) if (other[c] !== mine[c]) d += 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    });
    return best;
  }

  /** Retrieved memory `[B · S · dim]` of the studies (zeros where no neighbour exists). */
  retrieve(studies: readonly CorpusStudy[]): Float32Array {
    const per = this.maxSentences * this.dim;
    const out = new Float32Array(studies.length * per);
    studies.forEach((s, i) => {
      const j = this.nearest(s);
      if (j >= 0) out.set(this.#sentences[j] as Float32Array, i * per);
    });
    return out;
  }
}
