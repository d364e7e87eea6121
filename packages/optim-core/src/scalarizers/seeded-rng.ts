/**
 * A small seeded pseudo-random generator whose whole state is four uint32 words, so that
 * it can be checkpointed and resumed bit-exactly. Used for PCGrad's random orders and RLW's
 * weights: the project never calls `Math.random`.
 */
import { InvalidOptionError } from '../errors';

/** The serialisable state of a {@link SeededRng}: four uint32 words of xoshiro128**. */
export type RngState = readonly [number, number, number, number];

/** A seeded generator: uniform doubles, standard normals, permutations; state can be saved. */
export interface SeededRng {
  /** A uint32, uniformly distributed. */
  nextUint32(): number;
  /** A double uniformly distributed on [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** A standard normal sample (Box–Muller, one sample per two uniforms). */
  nextNormal(): number;
  /** A uniformly random permutation of 0 … n−1 (Fisher–Yates). */
  permutation(n: number): number[];
  getState(): RngState;
  setState(state: RngState): void;
}

/**
 * Build a xoshiro128** generator from a seed (any finite number; non-integers are hashed by
 * their float64 bits). The seed is expanded with splitmix32 so that nearby seeds give
 * unrelated streams.
 */
export function createSeededRng(seed: number): SeededRng {
  if (!Number.isFinite(seed)) throw new InvalidOptionError('seed', 'a finite number', seed);
  const s = new Uint32Array(4);
  let x = hashSeed(seed);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    s[i] = mix32(x);
  }
  // The all-zero state is the one fixed point of xoshiro; splitmix cannot produce it from four
  // distinct counters, but guard anyway.
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;

  const nextUint32 = (): number => {
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]!;
    const s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const n2 = (s2 ^ s0) >>> 0;
    const n3 = (s3 ^ s1) >>> 0;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result;
  };
  const nextFloat = (): number => {
    const hi = nextUint32() >>> 5;
    const lo = nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  };
  return {
    nextUint32,
    nextFloat,
    nextNormal() {
      // 1 − u lies in (0, 1], so the logarithm is finite.
      const u1 = 1 - nextFloat();
      const u2 = nextFloat();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    permutation(n) {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(nextFloat() * (i + 1));
        const tmp = p[i]!;
        p[i] = p[j]!;
        p[j] = tmp;
      }
      return p;
    },
    getState: () => [s[0]!, s[1]!, s[2]!, s[3]!],
    setState(state) {
      if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
        throw new InvalidOptionError('rngState', 'four uint32 words', state);
      }
      if (state.every((w) => w === 0)) throw new InvalidOptionError('rngState', 'not all zero', state);
      for (let i = 0; i < 4; i++) s[i] = state[i]!;
    },
  };
}

/** Combine a seed with extra integers (for example a step index) into one uint32 seed. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = hashSeed(seed);
  for (const p of parts) h = mix32((h ^ hashSeed(p)) + 0x9e3779b9);
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** splitmix32's finaliser: a bijection on uint32 with good avalanche. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function hashSeed(seed: number): number {
  if (Number.isInteger(seed) && Math.abs(seed) <= 0xffffffff) return mix32(seed >>> 0) ^ (seed < 0 ? 0x5bd1e995 : 0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed);
  return mix32(view.getUint32(0) ^ mix32(view.getUint32(4)));
}
