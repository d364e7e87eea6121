import { ShapeError } from '@came-grad/optim-core';
import { TOPICS } from './config';

const OBSERVATIONS = TOPICS / 2;

/**
 * TGRG's 28-way topic target of one report from its 14 CheXpert codes: observation i mentioned
 * as present (1) or uncertain (−1, read as present, the project's U-Ones convention) sets topic
 * i ("…_True"); mentioned as absent (0) sets topic 14 + i ("…_False"); not mentioned (−2) sets
 * neither. A report can therefore have several topics, or none.
 *
 * @throws ShapeError when the codes are not 14 values in {1, 0, −1, −2}
 */
export function topicTargets(codes: ArrayLike<number>, field = 'labels14'): Float32Array {
  if (codes.length !== OBSERVATIONS) throw new ShapeError(field, `${OBSERVATIONS} CheXpert codes`, `${codes.length}`);
  const out = new Float32Array(TOPICS);
  for (let i = 0; i < OBSERVATIONS; i++) {
    const c = codes[i];
    if (c === 1 || c === -1) out[i] = 1;
    else if (c === 0) out[OBSERVATIONS + i] = 1;
    else if (c !== -2) throw new ShapeError(`${field}[${i}]`, 'a CheXpert code in {1, 0, −1, −2}', `${c}`);
  }
  return out;
}

/**
 * The log topic prior `log π` from training topic targets, with add-one smoothing so that a topic
 * never seen in training (TGRG's MIMIC counts have a 0) keeps a finite log probability. TGRG
 * hard-codes its MIMIC-CXR counts; here they are counted on the training split.
 */
export function logTopicPrior(targets: readonly Float32Array[]): Float32Array {
  const counts = new Float64Array(TOPICS).fill(1);
  for (const t of targets) for (let k = 0; k < TOPICS; k++) counts[k] = (counts[k] as number) + (t[k] as number);
  const total = counts.reduce((a, b) => a + b, 0);
  return Float32Array.from(counts, (c) => Math.log(c / total));
}
