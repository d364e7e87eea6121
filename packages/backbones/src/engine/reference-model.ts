import * as tf from '@tensorflow/tfjs-core';

/**
 * The engine's reference model (from `notes/engine-performance.md`): three stride-2 3×3 convs over a
 * one-channel image as the visual memory, and a pre-LN transformer decoder (causal self-attention,
 * cross-attention to the memory, GELU MLP) with a token embedding and a vocabulary projection,
 * trained with softmax cross-entropy. It is built from plain tfjs ops on purpose: it measures and
 * tests the engine, not the building blocks. `apps/bench/perf/torch_twin.py` is its PyTorch twin.
 */
export interface ReferenceModelConfig {
  readonly imageSize: number;
  readonly convChannels: readonly [number, number];
  readonly dModel: number;
  readonly heads: number;
  readonly layers: number;
  readonly ffn: number;
  readonly vocab: number;
  readonly seqLen: number;
  readonly batch: number;
}

/** The measured configuration: d=128, 4 heads, T=40, vocab 1000, batch 8, 884,200 parameters. */
export const REFERENCE_CONFIG: ReferenceModelConfig = Object.freeze({
  imageSize: 64,
  convChannels: [32, 64] as const,
  dModel: 128,
  heads: 4,
  layers: 2,
  ffn: 512,
  vocab: 1000,
  seqLen: 40,
  batch: 8,
});

/** A tiny configuration for tests (same structure, every path exercised). */
export const TINY_REFERENCE_CONFIG: ReferenceModelConfig = Object.freeze({
  imageSize: 8,
  convChannels: [3, 4] as const,
  dModel: 8,
  heads: 2,
  layers: 1,
  ffn: 16,
  vocab: 11,
  seqLen: 5,
  batch: 2,
});

/**
 * The elementwise pieces of the model, swappable so that the bench can time the building blocks'
 * customGrad versions against the plain-op ones (same shapes, same cost model).
 */
export interface ReferenceOps {
  gelu(x: tf.Tensor2D): tf.Tensor2D;
  /** Normalises the last axis to zero mean and unit scale (no gain or bias). */
  normalize(x: tf.Tensor2D): tf.Tensor2D;
  /** Mean softmax cross-entropy of logits [N, V] against int32 targets [N]. */
  crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar;
}

/** Plain tfjs ops with autodiff (tanh-GELU with the cube as products; a pow kernel is scalar and slow on wasm). */
export const PLAIN_REFERENCE_OPS: ReferenceOps = Object.freeze({
  gelu: (x: tf.Tensor2D): tf.Tensor2D => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  },
  normalize: (x: tf.Tensor2D): tf.Tensor2D => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
  },
  crossEntropy: (logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar => {
    const onehot = tf.oneHot(targets, logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  },
});

/** A reference model: its variables in a fixed order, and the loss of one batch. */
export interface ReferenceModel {
  readonly variables: readonly tf.Variable[];
  loss(batch: ReferenceBatch): tf.Scalar;
  dispose(): void;
}

/** Inputs of one step: images [B, S, S, 1], input tokens and target tokens [B, T] (int32). */
export interface ReferenceBatch {
  readonly images: tf.Tensor4D;
  readonly tokens: tf.Tensor2D;
  readonly targets: tf.Tensor2D;
}

/** Deterministic values in [-scale, scale) from a 32-bit LCG, so that every backend starts equal. */
export function seededValues(count: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

/**
 * Builds the model with seeded weights (uniform, ±1/√fan-in). Variable names start with `scope`,
 * since tfjs names are global: two live models need two scopes.
 */
export function createReferenceModel(
  config: ReferenceModelConfig,
  seed = 1,
  scope = 'ref',
  ops: ReferenceOps = PLAIN_REFERENCE_OPS,
): ReferenceModel {
  const { dModel: d, vocab, seqLen, ffn } = config;
  const vars: tf.Variable[] = [];
  let next = seed;
  const param = (shape: number[], fanIn: number, name: string): tf.Variable => {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = tf.variable(tf.tensor(seededValues(size, next++ * 7919, 1 / Math.sqrt(fanIn)), shape), true, `${scope}/${name}`);
    vars.push(v);
    return v;
  };
  const constant = (shape: number[], value: number, name: string): tf.Variable => {
    const v = tf.variable(tf.fill(shape, value), true, `${scope}/${name}`);
    vars.push(v);
    return v;
  };
  const [c1, c2] = config.convChannels;
  const convs = [
    { w: param([3, 3, 1, c1], 9, 'conv1/w'), b: constant([c1], 0, 'conv1/b') },
    { w: param([3, 3, c1, c2], 9 * c1, 'conv2/w'), b: constant([c2], 0, 'conv2/b') },
    { w: param([3, 3, c2, d], 9 * c2, 'conv3/w'), b: constant([d], 0, 'conv3/b') },
  ];
  const embed = param([vocab, d], 1, 'embed');
  const pos = param([seqLen, d], 1, 'pos');
  const linear = (inDim: number, outDim: number, name: string) => ({
    w: param([inDim, outDim], inDim, `${name}/w`),
    b: constant([outDim], 0, `${name}/b`),
  });
  const norm = (name: string) => ({ g: constant([d], 1, `${name}/g`), b: constant([d], 0, `${name}/b`) });
  const attention = (name: string) => ({
    q: linear(d, d, `${name}/q`),
    k: linear(d, d, `${name}/k`),
    v: linear(d, d, `${name}/v`),
    o: linear(d, d, `${name}/o`),
  });
  const layers = Array.from({ length: config.layers }, (_, i) => ({
    ln1: norm(`l${i}/ln1`),
    self: attention(`l${i}/self`),
    ln2: norm(`l${i}/ln2`),
    cross: attention(`l${i}/cross`),
    ln3: norm(`l${i}/ln3`),
    up: linear(d, ffn, `l${i}/up`),
    down: linear(ffn, d, `l${i}/down`),
  }));
  const lnFinal = norm('ln_final');
  const head = linear(d, vocab, 'head');

  const dense = (x: tf.Tensor2D, p: { w: tf.Variable; b: tf.Variable }): tf.Tensor2D =>
    tf.add(tf.matMul(x, p.w as tf.Tensor2D), p.b);
  const layerNorm = (x: tf.Tensor2D, p: { g: tf.Variable; b: tf.Variable }): tf.Tensor2D =>
    tf.add(tf.mul(ops.normalize(x), p.g), p.b);
  const heads = config.heads;
  const dh = d / heads;
  const split = (x: tf.Tensor2D, b: number, t: number): tf.Tensor4D =>
    tf.transpose(tf.reshape(x, [b, t, heads, dh]), [0, 2, 1, 3]);
  const attend = (
    xq: tf.Tensor2D,
    xkv: tf.Tensor2D,
    p: ReturnType<typeof attention>,
    b: number,
    tq: number,
    tk: number,
    mask: tf.Tensor | null,
  ): tf.Tensor2D => {
    const q = split(dense(xq, p.q), b, tq);
    const k = split(dense(xkv, p.k), b, tk);
    const v = split(dense(xkv, p.v), b, tk);
    let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
    if (mask !== null) scores = tf.add(scores, mask);
    const ctx = tf.matMul(tf.softmax(scores), v);
    return dense(tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b * tq, d]), p.o);
  };

  return {
    variables: vars,
    loss({ images, tokens, targets }) {
      return tf.tidy(() => {
        const b = images.shape[0];
        let feat: tf.Tensor4D = images;
        for (const c of convs) feat = tf.relu(tf.add(tf.conv2d(feat, c.w as tf.Tensor4D, 2, 'same'), c.b)) as tf.Tensor4D;
        const memLen = feat.shape[1] * feat.shape[2];
        const mem = tf.reshape(feat, [b * memLen, d]) as tf.Tensor2D;
        const t = tokens.shape[1];
        const causal = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)), -1e9);
        const embedded = tf.reshape(tf.gather(embed, tf.reshape(tokens, [-1])), [b, t, d]);
        let x = tf.reshape(tf.add(embedded, tf.slice(pos, [0, 0], [t, d])), [b * t, d]) as tf.Tensor2D;
        for (const l of layers) {
          const h = layerNorm(x, l.ln1);
          x = tf.add(x, attend(h, h, l.self, b, t, t, causal));
          x = tf.add(x, attend(layerNorm(x, l.ln2), mem, l.cross, b, t, memLen, null));
          x = tf.add(x, dense(ops.gelu(dense(layerNorm(x, l.ln3), l.up)), l.down));
        }
        const logits = dense(layerNorm(x, lnFinal), head);
        return ops.crossEntropy(logits, tf.reshape(targets, [-1]) as tf.Tensor1D);
      });
    },
    dispose() {
      for (const v of vars) v.dispose();
    },
  };
}

/** A deterministic batch for a configuration (images in [0, 1), tokens in [0, vocab)). */
export function referenceBatch(config: ReferenceModelConfig, seed = 7): ReferenceBatch {
  const { batch: b, imageSize: s, seqLen: t, vocab } = config;
  const pixels = seededValues(b * s * s, seed, 0.5).map((v) => v + 0.5);
  const ids = (offset: number): Int32Array =>
    Int32Array.from(seededValues(b * t, seed + offset, 0.5), (v) => Math.min(vocab - 1, Math.floor((v + 0.5) * vocab)));
  return {
    images: tf.tensor4d(pixels, [b, s, s, 1]),
    tokens: tf.tensor2d(ids(1), [b, t], 'int32'),
    targets: tf.tensor2d(ids(2), [b, t], 'int32'),
  };
}
