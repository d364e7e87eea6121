import { describe, expect, it } from 'vitest';
import { createSeededRng, deriveSeed } from './seeded-rng';

describe('createSeededRng', () => {
  it('reproduces the xoshiro128** reference stream from state (1, 2, 3, 4)', () => {
    const rng = createSeededRng(0);
    rng.setState([1, 2, 3, 4]);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('is deterministic per seed and resumes exactly from a saved state', () => {
    const a = createSeededRng(42);
    const b = createSeededRng(42);
    expect(Array.from({ length: 5 }, () => a.nextFloat())).toEqual(Array.from({ length: 5 }, () => b.nextFloat()));
    const saved = a.getState();
    const next = Array.from({ length: 5 }, () => a.nextNormal());
    const c = createSeededRng(7);
    c.setState(saved);
    expect(Array.from({ length: 5 }, () => c.nextNormal())).toEqual(next);
    expect(createSeededRng(43).nextUint32()).not.toBe(createSeededRng(42).nextUint32());
  });

  it('draws standard normals and uniform permutations', () => {
    const rng = createSeededRng(1);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.04);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[rng.permutation(3)[0]!]! += 1;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
    expect([...rng.permutation(6)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects bad seeds and states', () => {
    expect(() => createSeededRng(Number.NaN)).toThrow(/`seed` should be a finite number/);
    expect(() => createSeededRng(0).setState([0, 0, 0, 0])).toThrow(/rngState/);
    expect(() => createSeededRng(0).setState([1, 2, 3, -1])).toThrow(/four uint32 words/);
    expect(deriveSeed(3, 1)).not.toBe(deriveSeed(3, 2));
    expect(deriveSeed(3, 1)).toBe(deriveSeed(3, 1));
  });
});
