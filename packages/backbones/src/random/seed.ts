/**
 * Deterministic 32-bit seed derivation. Random draws are keyed by *name* (a variable's name, a
 * dropout site's name), never by call order, so that a task-restricted forward pass
 * (`forward(b, ctx, ['lm'])`) draws exactly the masks of the full pass, and adding a module
 * does not change the initial weights of the others.
 */

/** Mixes a 32-bit integer (the finaliser of MurmurHash3). */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Derives an unsigned 32-bit seed from a base seed and a key (FNV-1a over the key's UTF-16 code
 * units, seeded with the base, then finalised).
 */
export function deriveSeed(base: number, key: string): number {
  let h = (0x811c9dc5 ^ fmix32(base >>> 0)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return fmix32(h);
}

/** A seeded uniform generator in [0, 1) (mulberry32): 2^32 period, plenty for initialisers. */
export function createUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded standard-normal generator (Box–Muller on {@link createUniform}). */
export function createNormal(seed: number): () => number {
  const uniform = createUniform(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    // 1 - u keeps the logarithm's argument in (0, 1].
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
