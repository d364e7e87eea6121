import { PairTable } from './pair-table.js';

/** A capacity hint for {@link NgramIndex}: a rough estimate of distinct n-grams from character counts. */
export function expectedNgrams(texts: readonly (string | readonly string[])[], maxN: number): number {
  let chars = 0;
  for (const t of texts) {
    if (typeof t === 'string') chars += t.length;
    else for (const u of t) chars += u.length;
  }
  // About chars / 6 tokens in English text; corpora repeat n-grams, so an eighth of the
  // occurrences is a generous start. The tables still grow when it is too small.
  return Math.min(1 << 20, Math.ceil(((chars / 6) * maxN) / 8) + 1024);
}

/** n-gram counts of one sentence: distinct ids in first-occurrence order (orders 1 … n in turn). */
export interface NgramCounts {
  /** Distinct n-gram ids, in the insertion order of pycocoevalcap's `precook` dict. */
  ids: number[];
  /** `counts[k]` is the number of occurrences of `ids[k]`. */
  counts: number[];
}

/**
 * Assigns dense integer ids to n-grams across one scorer call, so that counts, document
 * frequencies and weights can live in arrays. A k-gram's id is looked up from its (k−1)-gram
 * prefix id and its last token's id. Not shared between calls.
 */
export class NgramIndex {
  private readonly unigrams = new Map<string, number>();
  private readonly extended: PairTable;
  private readonly orders: number[] = [];
  // Per-sentence deduplication without a Map: `stamp[id]` says which sentence last saw `id`
  // and `slot[id]` where it sits in that sentence's list.
  private stamp: Int32Array;
  private slot: Int32Array;
  private sentence = 0;
  // Scratch rows of token and n-gram ids, reused across sentences.
  private uni = new Int32Array(128);
  private prev = new Int32Array(128);
  private cur = new Int32Array(128);
  /** Result buffers of {@link NgramIndex.countInto}. */
  outIds = new Int32Array(512);
  outCounts = new Int32Array(512);

  /**
   * @param expected expected number of distinct n-grams (e.g. total tokens × orders); sizing the
   *   tables up front avoids rehashing, which otherwise dominates on large sets
   */
  constructor(expected = 4096) {
    this.extended = new PairTable(expected);
    this.stamp = new Int32Array(Math.max(1024, expected)).fill(-1);
    this.slot = new Int32Array(Math.max(1024, expected));
  }

  /** Number of distinct n-grams seen so far (ids are 0 … size − 1). */
  get size(): number {
    return this.orders.length;
  }

  /** Order (1-based) of n-gram `id`. */
  order(id: number): number {
    return this.orders[id] as number;
  }

  private newId(order: number): number {
    const id = this.orders.length;
    this.orders.push(order);
    if (id >= this.stamp.length) {
      const stamp = new Int32Array(this.stamp.length * 2).fill(-1);
      stamp.set(this.stamp);
      const slot = new Int32Array(this.slot.length * 2);
      slot.set(this.slot);
      this.stamp = stamp;
      this.slot = slot;
    }
    return id;
  }

  /**
   * Counts the n-grams of orders 1 … `maxN` of `words` as pycocoevalcap's `precook`: order by
   * order, left to right. The insertion order matters: CIDEr-D sums floating-point terms in it.
   */
  count(words: readonly string[], maxN: number): NgramCounts {
    const n = this.countInto(words, maxN);
    const ids: number[] = [];
    const counts: number[] = [];
    for (let k = 0; k < n; k++) {
      ids.push(this.outIds[k] as number);
      counts.push(this.outCounts[k] as number);
    }
    return { ids, counts };
  }

  /**
   * As {@link NgramIndex.count}, but leaves the result in {@link NgramIndex.outIds} /
   * {@link NgramIndex.outCounts} (valid until the next call) and returns how many distinct
   * n-grams there are; saves two allocations per sentence on the hot path.
   */
  countInto(words: readonly string[], maxN: number): number {
    const s = this.sentence++;
    const len = words.length;
    if (this.uni.length < len) {
      this.prev = new Int32Array(len * 2);
      this.cur = new Int32Array(len * 2);
      this.uni = new Int32Array(len * 2);
    }
    if (this.outIds.length < len * maxN) {
      this.outIds = new Int32Array(len * maxN * 2);
      this.outCounts = new Int32Array(len * maxN * 2);
    }
    let n = 0;
    const uni = this.uni;
    for (let i = 0; i < len; i++) {
      const w = words[i] as string;
      let id = this.unigrams.get(w);
      if (id === undefined) this.unigrams.set(w, (id = this.newId(1)));
      uni[i] = id;
      n = this.tally(id, s, n);
    }
    let prev = uni;
    for (let k = 2; k <= maxN && k <= len; k++) {
      // Alternate the two scratch rows so no array is allocated per sentence.
      const cur = prev === this.cur ? this.prev : this.cur;
      for (let i = 0; i + k <= len; i++) {
        const a = prev[i] as number;
        const b = uni[i + k - 1] as number;
        let id = this.extended.get(a, b);
        if (id === -1) {
          id = this.newId(k);
          this.extended.insert(a, b, id);
        }
        cur[i] = id;
        n = this.tally(id, s, n);
      }
      prev = cur;
    }
    return n;
  }

  private tally(id: number, s: number, n: number): number {
    if (this.stamp[id] === s) {
      const at = this.slot[id] as number;
      this.outCounts[at] = (this.outCounts[at] as number) + 1;
      return n;
    }
    this.stamp[id] = s;
    this.slot[id] = n;
    this.outIds[n] = id;
    this.outCounts[n] = 1;
    return n + 1;
  }
}
