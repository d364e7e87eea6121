import type { InputSizes } from './input-spec';

/**
 * The keys every backbone configuration of this package has, with the meaning they share. A
 * backbone's configuration extends it and re-declares a key only to say what that key means
 * there (which views it reads, which layers a count covers).
 */
export interface CommonConfig extends InputSizes {
  /** Vocabulary, ids 1 … V in order, containing `<unk>` (built by `@came-grad/datasets`). */
  readonly vocab: readonly string[];
  /** Seed of every initialiser. */
  readonly seed: number;
  /** Square image side. */
  readonly imageSize: number;
  /** Views per study. */
  readonly views: number;
  /** Image channels. */
  readonly channels: number;
  /** Training sequence length including BOS and EOS. */
  readonly maxSeqLength: number;
  /** Model width d. */
  readonly dModel: number;
  /** Attention heads. */
  readonly heads: number;
  /** Feed-forward width. */
  readonly dFF: number;
  /** Encoder layers. */
  readonly encoderLayers: number;
  /** Decoder layers. */
  readonly decoderLayers: number;
  /** Dropout rate. */
  readonly dropout: number;
}
