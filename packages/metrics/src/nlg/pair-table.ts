/**
 * Open-addressing hash map from a pair of non-negative int32 ids to an int32 value. Used to give
 * n-grams dense ids: JavaScript Maps keyed by large numbers (or joined strings) cost several
 * hundred nanoseconds per lookup, this table tens.
 */
export class PairTable {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 12) {
    const size = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.keysA = new Int32Array(size).fill(-1);
    this.keysB = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  private static hash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
  }

  /** Value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    let i = PairTable.hash(a, b) & this.mask;
    for (;;) {
      const ka = this.keysA[i] as number;
      if (ka === -1) return -1;
      if (ka === a && this.keysB[i] === b) return this.values[i] as number;
      i = (i + 1) & this.mask;
    }
  }

  /** Stores `value` for a new key (a, b); the caller has checked it is absent. */
  insert(a: number, b: number, value: number): void {
    if ((this.count + 1) * 2 > this.keysA.length) this.grow();
    let i = PairTable.hash(a, b) & this.mask;
    while (this.keysA[i] !== -1) i = (i + 1) & this.mask;
    this.keysA[i] = a;
    this.keysB[i] = b;
    this.values[i] = value;
    this.count++;
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    const size = keysA.length * 2;
    this.keysA = new Int32Array(size).fill(-1);
    this.keysB = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
    this.count = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.insert(keysA[i] as number, keysB[i] as number, values[i] as number);
  }
}
