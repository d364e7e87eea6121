/** Cue classes of the lexicon, in decision order (spec `clinical-metrics.md` §3.5). */
export type CueClass = 'preNegation' | 'negation' | 'postNegation' | 'stability';

/** Direction of a cue: `forward` precedes the mention, `backward` follows it. */
export type CueDirection = 'forward' | 'backward';

/**
 * Shape of `data/cues.v1.json`, the project-authored cue lexicon of the CheXpert-style labeler.
 * Phrases are space-separated token sequences compared against token cores.
 */
export interface CueLexiconFile {
  readonly _notice: string;
  readonly version: string;
  readonly windows: {
    readonly forward: number;
    readonly backward: number;
    readonly coordinationForward: number;
    readonly coordinationBackward: number;
  };
  readonly coordinationCues: readonly string[];
  readonly terminators: readonly string[];
  readonly terminatorBigrams: readonly string[];
  readonly classes: Readonly<Record<CueClass, Readonly<Record<CueDirection, readonly string[]>>>>;
  readonly edemaUncertainPhrases: readonly string[];
  readonly silhouettePrefixes: readonly string[];
}
