import type { CorpusStudy } from '../contract';
import type { WordTokenizer } from '../tokenizer/word-tokenizer';

/** CheXpert code (1, 0, −1, −2) → 4-way state id (0 blank, 1 positive, 2 negative, 3 uncertain). */
export function codeToState(code: number): number {
  if (code === 1) return 1;
  if (code === 0) return 2;
  if (code === -1) return 3;
  return 0;
}

// R2Gen's cleaner (lower-cased text) deletes these characters without leaving a space; its class
// `:-\[` is a range, so `:` … `@` and `[` go too while a hyphen stays.
const DELETED = /[.,?;*!%^&_+()\]{}"/\\':;<=>?@[]/g;

/**
 * The prior study's 14×4 labels, which DDaTR's `cls_head2` trains on but the dataset batch does not
 * carry: `prepare` stores every training report's labels under its word sequence, and the prior
 * report ids of a batch are matched against it (exactly, or by prefix when the prior report was cut
 * at `maxSeqLength`). Synth-cxr links every prior to another entry of the same split, so training
 * priors are found; a prior that is not found is masked out of the prior-head loss.
 */
export class PriorLabelBank {
  readonly #exact = new Map<string, Int32Array>();
  readonly #cache = new Map<string, Int32Array | null>();
  #rows: { key: string; states: Int32Array }[] = [];

  constructor(readonly tokenizer: WordTokenizer, readonly classes: number) {}

  /** Number of stored reports. */
  get size(): number {
    return this.#rows.length;
  }

  /** Stores the labelled studies (replacing earlier ones). */
  build(studies: readonly CorpusStudy[]): void {
    this.#exact.clear();
    this.#cache.clear();
    this.#rows = [];
    for (const s of studies) {
      if (s.labels14 === undefined) continue;
      const key = this.#textKey(s.report);
      const states = Int32Array.from({ length: this.classes }, (_, c) => codeToState(s.labels14?.[c] ?? -2));
      if (!this.#exact.has(key)) this.#exact.set(key, states);
      this.#rows.push({ key, states });
    }
  }

  #textKey(report: string): string {
    const ids = this.tokenizer.encode(report.toLowerCase().replace(DELETED, ''));
    return this.#idsKey(ids);
  }

  #idsKey(ids: readonly number[]): string {
    const unk = this.tokenizer.encode('<unk>')[0];
    const dot = this.tokenizer.encode('.')[0];
    return ids.filter((id) => id > 0 && id !== unk && id !== dot).join(' ');
  }

  /**
   * States `[B·classes]` and a found-flag `[B]` for the prior reports `[B, T]` of a batch
   * (R2Gen layout `[0, w…, 0, pad…]`); rows with `hasProgress` 0 are not looked up.
   */
  lookup(ids: Int32Array, mask: Float32Array, hasProgress: Float32Array, t: number): { states: Int32Array; found: Float32Array } {
    const b = hasProgress.length;
    const states = new Int32Array(b * this.classes);
    const found = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      if (hasProgress[i] !== 1) continue;
      let n = 0;
      while (n < t && (mask[i * t + n] as number) > 0) n++;
      // A full mask means the report was cut before its EOS.
      const truncated = n === t;
      const words = Array.from(ids.subarray(i * t + 1, i * t + n - (truncated ? 0 : 1)));
      const hit = this.#find(this.#idsKey(words), truncated);
      if (hit === undefined) continue;
      states.set(hit, i * this.classes);
      found[i] = 1;
    }
    return { states, found };
  }

  #find(key: string, prefix: boolean): Int32Array | undefined {
    const cacheKey = `${prefix ? 'p' : 'e'}:${key}`;
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    let hit = this.#exact.get(key);
    if (hit === undefined && prefix && key.length > 0) hit = this.#rows.find((r) => r.key.startsWith(key))?.states;
    this.#cache.set(cacheKey, hit ?? null);
    return hit;
  }
}
