import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, mix32 } from './seeded-random.js';

describe('createRandom', () => {
  it('is a pure function of the seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(createRandom(43).next()).not.toBe(xs[0]);
  });

  it('keeps every draw in range and roughly uniform', () => {
    const r = createRandom(7);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const k = r.int(10);
      expect(k >= 0 && k < 10).toBe(true);
      counts[k] = (counts[k] as number) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const r = createRandom(9);
    let s = 0;
    let s2 = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });
});

describe('deriveSeed', () => {
  it('separates nearby parts and keeps high bits of large integers', () => {
    const seeds = new Set([deriveSeed(1, 0), deriveSeed(1, 1), deriveSeed(0, 1), deriveSeed(1, 0, 0), deriveSeed(1, 2 ** 32), deriveSeed(1, 0)]);
    expect(seeds.size).toBe(5);
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).not.toBe(mix32(2));
  });
});
