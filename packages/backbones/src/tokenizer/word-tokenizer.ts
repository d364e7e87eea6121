import { InvalidOptionError } from '@came-grad/optim-core';
import type { Tokenizer } from '../contract';

/** The unknown-word token of the R2Gen vocabulary. */
export const UNK = '<unk>';

/**
 * R2Gen's word-level tokenizer (`specs/nlg-metrics.md` §2.1) over a given vocabulary: word i of
 * `vocab` has id i + 1, id 0 is BOS = EOS = PAD, unknown words map to `<unk>` (which the
 * vocabulary must contain). The vocabulary itself is built by `@came-grad/datasets`.
 */
export class WordTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly bos = 0;
  readonly eos = 0;
  readonly pad = 0;
  readonly #ids = new Map<string, number>();
  readonly #unk: number;

  /** @throws InvalidOptionError when `vocab` has duplicates, empty or blank entries, or lacks `<unk>`. */
  constructor(readonly vocab: readonly string[]) {
    vocab.forEach((word, i) => {
      if (word.length === 0 || /\s/.test(word)) throw new InvalidOptionError(`vocab[${i}]`, 'a non-empty word without whitespace', word);
      if (this.#ids.has(word)) throw new InvalidOptionError(`vocab[${i}]`, 'unique', word);
      this.#ids.set(word, i + 1);
    });
    const unk = this.#ids.get(UNK);
    if (unk === undefined) throw new InvalidOptionError('vocab', `a list containing ${UNK}`, `${vocab.length} words without it`);
    this.#unk = unk;
    this.vocabSize = vocab.length + 1;
  }

  /** Word ids of a cleaned report (split on whitespace), without BOS/EOS. */
  encode(report: string): number[] {
    return report.split(/\s+/).filter((w) => w.length > 0).map((w) => this.#ids.get(w) ?? this.#unk);
  }

  /** Stops at the first 0 and joins the words with single spaces (R2Gen's `decode`). */
  decode(ids: readonly number[]): string {
    const words: string[] = [];
    for (const id of ids) {
      if (id <= 0) break;
      words.push(this.vocab[id - 1] ?? UNK);
    }
    return words.join(' ');
  }
}
