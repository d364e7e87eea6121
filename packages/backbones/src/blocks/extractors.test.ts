import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParameterStore } from '../params/parameter-store';
import { createNormal } from '../random/seed';
import { createVisualExtractor, type VisualConfig } from './create-visual-extractor';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const infer = { training: false, seed: 0 };
const configs: [VisualConfig, number, number][] = [
  // config, tokens per 32-px view, token width
  [{ kind: 'resnet', channels: [4, 8, 8] }, 16, 8],
  // DenseNet widths: 4 → +2·4 = 12 → 6 → +2·4 = 14 → 7.
  [{ kind: 'densenet', stem: 4, blocks: [2, 2], growth: 4 }, 16, 7],
  [{ kind: 'vit', patch: 8, d: 16, heads: 2, layers: 1, dFF: 32 }, 16, 16],
];

describe.each(configs)('visual extractor %o', (config, tokens, width) => {
  const n = createNormal(1);
  const view = tf.tensor(Float32Array.from({ length: 32 * 32 }, () => n()), [1, 1, 32, 32, 1]);
  const other = tf.tensor(Float32Array.from({ length: 32 * 32 }, () => n()), [1, 1, 32, 32, 1]);

  it('turns [B, V, H, W, C] into [B, V·N, C] patch tokens whose mean is the pooled feature', () => {
    const ex = createVisualExtractor(new ParameterStore(1), 'visual', config, { channels: 1, imageSize: 32, dropout: 0 });
    expect(ex.tokensPerView(32)).toBe(tokens);
    expect(ex.outDim).toBe(width);
    const { tokens: t, pooled } = ex.apply(tf.concat([view, other], 1) as tf.Tensor5D, infer);
    expect(t.shape).toEqual([1, 2 * tokens, width]);
    expect(pooled.shape).toEqual([1, width]);
    expect(tf.max(tf.abs(tf.sub(tf.mean(t, 1), pooled))).dataSync()[0]).toBeLessThan(1e-6);
  });

  it('runs every view through the same weights, concatenating view after view', () => {
    const ex = createVisualExtractor(new ParameterStore(1), 'visual', config, { channels: 1, imageSize: 32, dropout: 0 });
    const single = ex.apply(view as tf.Tensor5D, infer).tokens;
    const both = ex.apply(tf.concat([other, view], 1) as tf.Tensor5D, infer).tokens;
    const second = tf.slice(both, [0, tokens, 0], [1, tokens, width]);
    expect(tf.max(tf.abs(tf.sub(second, single))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('initialises from the seed: same seed same weights, other seed other weights', () => {
    const read = (seed: number): number[][] => {
      const store = new ParameterStore(seed);
      createVisualExtractor(store, 'visual', config, { channels: 1, imageSize: 32, dropout: 0 });
      const values = store.entries().map((e) => Array.from(e.variable.dataSync()));
      store.dispose();
      return values;
    };
    expect(read(3)).toEqual(read(3));
    expect(read(3)).not.toEqual(read(4));
  });
});
