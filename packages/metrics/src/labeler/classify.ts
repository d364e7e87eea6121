import type { CueClass, CueDirection } from './cue-lexicon-file';
import { gapBlocked } from './cue-lexicon';
import type { CueLexicon, CueOccurrence } from './cue-lexicon';
import type { SentenceTokens } from './tokens';

/** Per-mention label in the CheXpert labeler's encoding: 1 positive, 0 negative, -1 uncertain. */
export type MentionLabel = 1 | 0 | -1;

/**
 * Which decision rule of spec §3.5 labelled a mention: a cue class, the Edema congestion rule
 * (`congestion`), or the default (`positive`).
 */
export type DecisionRule = CueClass | 'congestion' | 'positive';

/** The cue that decided a mention's label. */
export interface LinkedCue {
  readonly phrase: string;
  readonly cls: CueClass;
  readonly direction: CueDirection;
  /** Token range [start, end) of the cue in its sentence. */
  readonly tokens: readonly [number, number];
}

/** Outcome of classifying one mention. */
export interface MentionDecision {
  readonly label: MentionLabel;
  readonly rule: DecisionRule;
  readonly cue: LinkedCue | undefined;
}

/** Finds, per class, the nearest cue linked to mention tokens [a, b) (spec §3.5 "Linking"). */
function linkedCues(
  lexicon: CueLexicon,
  tokens: SentenceTokens,
  cues: readonly CueOccurrence[],
  a: number,
  b: number,
): Partial<Record<CueClass, { cue: LinkedCue; distance: number }>> {
  const found: Partial<Record<CueClass, { cue: LinkedCue; distance: number }>> = {};
  const w = lexicon.windows;
  for (const occ of cues) {
    let direction: CueDirection;
    let gap: number;
    if (occ.end <= a) {
      direction = 'forward';
      gap = a - occ.end;
      if (gap > (occ.coordination ? w.coordinationForward : w.forward)) continue;
      if (gapBlocked(lexicon, tokens, occ.end, a)) continue;
    } else if (occ.start >= b) {
      direction = 'backward';
      gap = occ.start - b;
      if (gap > (occ.coordination ? w.coordinationBackward : w.backward)) continue;
      if (gapBlocked(lexicon, tokens, b, occ.start)) continue;
    } else {
      continue; // the cue overlaps the mention's tokens
    }
    for (const entry of occ.entries) {
      if (entry.direction !== direction) continue;
      const prev = found[entry.cls];
      if (prev === undefined || gap < prev.distance) {
        found[entry.cls] = {
          cue: { phrase: occ.phrase, cls: entry.cls, direction, tokens: [occ.start, occ.end] },
          distance: gap,
        };
      }
    }
  }
  return found;
}

function isSilhouetteType(lexicon: CueLexicon, cores: readonly string[], a: number, b: number): boolean {
  for (let j = a; j < b; j++) {
    const core = cores[j]!;
    for (const prefix of lexicon.silhouettePrefixes) if (core.startsWith(prefix)) return true;
  }
  return false;
}

/**
 * Labels one mention with the surface-cue approximation of the CheXpert labeler's dependency
 * patterns (spec §3.5 "Decision per mention"): pre-negation uncertainty, then negation, then
 * post-negation uncertainty, then the Edema congestion phrases, then stability cues on
 * silhouette-type mentions, else positive.
 *
 * @param matched the mention's matched text (its phrase)
 * @param a first token of the mention
 * @param b one past its last token
 */
export function classifyMention(
  lexicon: CueLexicon,
  tokens: SentenceTokens,
  cues: readonly CueOccurrence[],
  matched: string,
  a: number,
  b: number,
): MentionDecision {
  const linked = linkedCues(lexicon, tokens, cues, a, b);
  if (linked.preNegation) return { label: -1, rule: 'preNegation', cue: linked.preNegation.cue };
  if (linked.negation) return { label: 0, rule: 'negation', cue: linked.negation.cue };
  if (linked.postNegation) return { label: -1, rule: 'postNegation', cue: linked.postNegation.cue };
  if (lexicon.edemaUncertainPhrases.has(matched)) return { label: -1, rule: 'congestion', cue: undefined };
  if (linked.stability && isSilhouetteType(lexicon, tokens.cores, a, b)) {
    return { label: -1, rule: 'stability', cue: linked.stability.cue };
  }
  return { label: 1, rule: 'positive', cue: undefined };
}
