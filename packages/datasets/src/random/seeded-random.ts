/**
 * Seeded pseudo-random numbers. Everything random in this package (shuffles, crops, flips, the
 * synthetic studies) draws from these, so a seed fixes every byte and every batch order.
 *
 * The generator is sfc32 (a small, fast counter-based generator with 128 bits of state and a
 * good PractRand record); seeds are spread by a 32-bit avalanche hash so that nearby seeds, epochs
 * and sample indices give unrelated streams.
 */

/** A deterministic stream of numbers. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** `true` with probability p. */
  chance(p: number): boolean;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** 32-bit avalanche mix (the finaliser of MurmurHash3), used to derive seeds. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines several integers (seed, epoch, index, …) into one 32-bit seed. */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Integers above 2^32 (large positions) keep their high bits through the second word.
    h = mix32(h ^ mix32(p >>> 0) ^ mix32(Math.floor(p / 4294967296) + 0x632be5ab));
  }
  return h;
}

/** Creates a generator from a 32-bit integer seed. */
export function createRandom(seed: number): SeededRandom {
  let a = mix32(seed ^ 0x6a09e667);
  let b = mix32(seed ^ 0xbb67ae85);
  let c = mix32(seed ^ 0x3c6ef372);
  let d = 1;
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32's state needs a few rounds to decorrelate from the seed.
  for (let i = 0; i < 12; i++) u32();
  let spare: number | undefined;
  const next = (): number => u32() / 4294967296;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + (hi - lo) * next(),
    chance: (p) => next() < p,
    normal: () => {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick() needs a non-empty array');
      return item;
    },
  };
}
