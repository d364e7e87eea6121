import { InvalidOptionError } from '@came-grad/optim-core';
import { blockedByTrigram } from './trigram-block';

/**
 * The model side of {@link beamSearch}. The state holds one row per live hypothesis; rows are
 * reordered (and duplicated) by {@link BeamScorer.reorder} after each step.
 */
export interface BeamScorer<S> {
  /**
   * Next-token log-probabilities for every row, row-major `[rows, vocabSize]`. All prefixes have
   * the same length t (the number of tokens generated so far, BOS excluded).
   */
  logProbs(state: S, prefixes: readonly (readonly number[])[]): { values: Float32Array | Float64Array; vocabSize: number };
  /** A state whose row j is row `rows[j]` of `state`; owns `state` from then on (and may dispose it). */
  reorder(state: S, rows: readonly number[]): S;
  /** Releases a state that is no longer needed. */
  dispose?(state: S): void;
}

/** Options of {@link beamSearch}. */
export interface BeamSearchOptions {
  /** Number of independent items; the initial state has one row per item. */
  readonly batchSize: number;
  /** Beam width (1 = greedy). */
  readonly beamSize: number;
  /** Maximum number of tokens per hypothesis, EOS excluded; a hypothesis that reaches it ends. */
  readonly maxLen: number;
  /** EOS is forbidden until a hypothesis has this many tokens (default 0). */
  readonly minLen?: number;
  /** Forbid tokens that would repeat a trigram of the hypothesis (never EOS). */
  readonly blockTrigrams?: boolean;
  /** End-of-sequence id. */
  readonly eos: number;
}

/** Best hypothesis of one item: its tokens (EOS excluded) and summed log-probability. */
export interface BeamHypothesis {
  readonly tokens: number[];
  readonly score: number;
}

interface Live {
  readonly tokens: number[];
  readonly score: number;
  readonly row: number;
}

interface Candidate {
  readonly parent: Live;
  readonly token: number;
  readonly score: number;
}

function validate(o: BeamSearchOptions): void {
  const int = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new InvalidOptionError(name, `an integer ≥ ${min}`, v);
  };
  int('batchSize', o.batchSize, 0);
  int('beamSize', o.beamSize, 1);
  int('maxLen', o.maxLen, 0);
  int('minLen', o.minLen ?? 0, 0);
  int('eos', o.eos, 0);
}

// Higher score first; ties go to the earlier parent, then to the smaller token id.
function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.parent.row !== b.parent.row) return a.parent.row - b.parent.row;
  return a.token - b.token;
}

/**
 * Beam search over summed log-probabilities, without length normalisation (R2Gen's default).
 *
 * At every step each item keeps the `beamSize` best expansions of its live hypotheses; an
 * expansion by EOS is finished with its score, the others stay live. Because scores only
 * decrease, an item stops as soon as its best finished score is at least its best live score,
 * which returns the same result as decoding to `maxLen`. A hypothesis with `maxLen` tokens is
 * finished as it is. EOS is disallowed below `minLen` tokens; with `blockTrigrams`, a token that
 * would repeat a trigram of its hypothesis is disallowed. The result of each item is its best
 * finished hypothesis (the earliest one among equal scores).
 */
export function beamSearch<S>(scorer: BeamScorer<S>, initialState: S, options: BeamSearchOptions): BeamHypothesis[] {
  validate(options);
  const { batchSize, beamSize, maxLen, eos } = options;
  const minLen = options.minLen ?? 0;
  const finished: (BeamHypothesis | undefined)[] = new Array<BeamHypothesis | undefined>(batchSize).fill(undefined);
  let live: Live[][] = [];
  for (let i = 0; i < batchSize; i++) live.push([{ tokens: [], score: 0, row: i }]);
  let state = initialState;
  const offer = (item: number, hyp: BeamHypothesis): void => {
    const best = finished[item];
    if (best === undefined || hyp.score > best.score) finished[item] = hyp;
  };
  try {
    for (let t = 0; ; t++) {
      const flat = live.flat();
      if (flat.length === 0) break;
      if (t >= maxLen) {
        for (let i = 0; i < batchSize; i++) for (const h of live[i] ?? []) offer(i, { tokens: h.tokens, score: h.score });
        break;
      }
      const { values, vocabSize } = scorer.logProbs(state, flat.map((h) => h.tokens));
      const nextLive: Live[][] = [];
      const parentRows: number[] = [];
      for (let i = 0; i < batchSize; i++) {
        const candidates: Candidate[] = [];
        for (const h of live[i] ?? []) {
          const blocked = options.blockTrigrams === true ? blockedByTrigram(h.tokens) : undefined;
          const base = h.row * vocabSize;
          for (let w = 0; w < vocabSize; w++) {
            if (w === eos ? h.tokens.length < minLen : blocked?.has(w) === true) continue;
            const lp = values[base + w] as number;
            if (lp === -Infinity || Number.isNaN(lp)) continue;
            candidates.push({ parent: h, token: w, score: h.score + lp });
          }
        }
        candidates.sort(compareCandidates);
        const continuing: Candidate[] = [];
        for (const c of candidates.slice(0, beamSize)) {
          if (c.token === eos) offer(i, { tokens: c.parent.tokens, score: c.score });
          else continuing.push(c);
        }
        const best = finished[i];
        const bestLive = continuing[0];
        if (best !== undefined && (bestLive === undefined || best.score >= bestLive.score)) {
          nextLive.push([]);
          continue;
        }
        const kept: Live[] = [];
        for (const c of continuing) {
          kept.push({ tokens: [...c.parent.tokens, c.token], score: c.score, row: parentRows.length });
          parentRows.push(c.parent.row);
        }
        nextLive.push(kept);
      }
      live = nextLive;
      if (parentRows.length === 0) break;
      state = scorer.reorder(state, parentRows);
    }
  } finally {
    scorer.dispose?.(state);
  }
  return finished.map((f) => f ?? { tokens: [], score: -Infinity });
}
