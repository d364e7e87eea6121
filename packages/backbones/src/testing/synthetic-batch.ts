import { InvalidOptionError } from '@came-grad/optim-core';
import type { PlainBatch } from '../batch/plain-batch';
import type { BackboneAdapter } from '../contract';
import { createNormal, createUniform } from '../random/seed';

/**
 * A seeded random batch shaped by an adapter's `inputSpec`: N(0, 1) images, reports of random
 * length with random word ids in the R2Gen layout `[0, w…, 0, pad…]`, and random binary
 * `labels14`. Adapters needing other auxiliary inputs pass their own batch to the contract suite.
 *
 * @throws InvalidOptionError when the adapter reads an auxiliary input this generator cannot make
 */
export function syntheticBatch(adapter: BackboneAdapter, batchSize: number, seed: number): PlainBatch {
  const spec = adapter.inputSpec;
  for (const name of [...spec.aux, ...spec.inferAux]) {
    if (name !== 'labels14') throw new InvalidOptionError('makeBatch', `given for adapters reading aux.${name}`, 'undefined');
  }
  const { views, imageSize, channels, maxSeqLength: t } = spec;
  const normal = createNormal(seed);
  const uniform = createUniform(seed + 1);
  const images = new Float32Array(batchSize * views * imageSize * imageSize * channels).map(() => normal());
  const ids = new Int32Array(batchSize * t);
  const mask = new Float32Array(batchSize * t);
  const words = adapter.tokenizer.vocabSize - 1;
  for (let b = 0; b < batchSize; b++) {
    // Between one word and a full sequence (BOS + t − 2 words + EOS).
    const len = 1 + Math.floor(uniform() * (t - 2));
    for (let i = 0; i < len; i++) ids[b * t + 1 + i] = 1 + Math.floor(uniform() * words);
    for (let i = 0; i < len + 2; i++) mask[b * t + i] = 1;
  }
  const plain: PlainBatch = {
    images: { data: images, shape: [batchSize, views, imageSize, imageSize, channels] },
    reportIds: { data: ids, shape: [batchSize, t] },
    reportMask: { data: mask, shape: [batchSize, t] },
  };
  if (!spec.aux.includes('labels14')) return plain;
  const labels = new Float32Array(batchSize * 14).map(() => (uniform() < 0.3 ? 1 : 0));
  return { ...plain, aux: { labels14: { data: labels, shape: [batchSize, 14] } } };
}
