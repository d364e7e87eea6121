import { createNormal, createUniform } from './seed';

/**
 * How a variable is initialised. Fans follow PyTorch: for a `[in, out]` matrix fanIn = in and
 * fanOut = out; for a conv filter `[kh, kw, in, out]` they are multiplied by the receptive field.
 */
export type Initializer =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number }
  /** Glorot/Xavier uniform: U(−a, a), a = gain·√(6 / (fanIn + fanOut)) (Annotated Transformer, R2Gen). */
  | { readonly kind: 'xavierUniform'; readonly gain?: number }
  /** PyTorch's default Linear/Conv bias: U(−1/√fanIn, 1/√fanIn); `fanIn` is the layer's input fan. */
  | { readonly kind: 'fanInUniform'; readonly fanIn: number }
  /** Kaiming normal, mode fan_out, ReLU gain (torchvision ResNet convolutions). */
  | { readonly kind: 'kaimingNormalFanOut' }
  /** N(0, std²). */
  | { readonly kind: 'normal'; readonly std: number }
  /** Identity rows padded with zeros (R2Gen's relational-memory initial state). */
  | { readonly kind: 'identityRows' };

function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = (shape[shape.length - 2] ?? 1) * receptive;
  const fanOut = (shape[shape.length - 1] ?? 1) * receptive;
  return { fanIn, fanOut };
}

/** Fills a new array of the shape's size with the initializer's values, from a seed. */
export function initialValues(init: Initializer, shape: readonly number[], seed: number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  switch (init.kind) {
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    case 'constant':
      return out.fill(init.value);
    case 'xavierUniform': {
      const { fanIn, fanOut } = fans(shape);
      const a = (init.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
      const u = createUniform(seed);
      for (let i = 0; i < size; i++) out[i] = (2 * u() - 1) * a;
      return out;
    }
    case 'fanInUniform': {
      const a = 1 / Math.sqrt(init.fanIn);
      const u = createUniform(seed);
      for (let i = 0; i < size; i++) out[i] = (2 * u() - 1) * a;
      return out;
    }
    case 'kaimingNormalFanOut': {
      const std = Math.sqrt(2 / fans(shape).fanOut);
      const n = createNormal(seed);
      for (let i = 0; i < size; i++) out[i] = n() * std;
      return out;
    }
    case 'normal': {
      const n = createNormal(seed);
      for (let i = 0; i < size; i++) out[i] = n() * init.std;
      return out;
    }
    case 'identityRows': {
      const rows = shape[0] ?? 0;
      const cols = shape[1] ?? 0;
      for (let r = 0; r < Math.min(rows, cols); r++) out[r * cols + r] = 1;
      return out;
    }
  }
}
