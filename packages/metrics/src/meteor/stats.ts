import { MODULE_SLOTS } from './align.js';

/** Meteor's sufficient statistics for one segment (or a sum of segments). */
export interface MeteorStats {
  /** Words in the hypothesis ("test") and the reference. */
  testLength: number;
  referenceLength: number;
  /** Of those, function words. */
  testFunctionWords: number;
  referenceFunctionWords: number;
  /** Per module slot (exact, stem, synonym, paraphrase): matched content/function words. */
  testContent: number[];
  referenceContent: number[];
  testFunction: number[];
  referenceFunction: number[];
  /** Runs of matches contiguous and in the same order on both sides. */
  chunks: number;
  /** Matched words on each side, all modules. */
  testWordMatches: number;
  referenceWordMatches: number;
}

/** Meteor 1.5's English "rank" parameters and module weights (the jar's defaults for `-l en`). */
export interface MeteorParameters {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
  /** Weights of exact, stem, synonym and paraphrase matches. */
  weights: readonly [number, number, number, number];
}

/** Meteor 1.5 English defaults: α 0.85, β 0.20, γ 0.60, δ 0.75, weights 1.0 / 0.6 / 0.8 / 0.6. */
export const METEOR_DEFAULTS: Readonly<MeteorParameters> = Object.freeze({
  alpha: 0.85,
  beta: 0.2,
  gamma: 0.6,
  delta: 0.75,
  weights: Object.freeze([1.0, 0.6, 0.8, 0.6]) as unknown as readonly [number, number, number, number],
});

/** An all-zero statistics record. */
export function emptyStats(): MeteorStats {
  const z = (): number[] => new Array<number>(MODULE_SLOTS).fill(0);
  return { testLength: 0, referenceLength: 0, testFunctionWords: 0, referenceFunctionWords: 0, testContent: z(), referenceContent: z(), testFunction: z(), referenceFunction: z(), chunks: 0, testWordMatches: 0, referenceWordMatches: 0 };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function isPerfect(s: MeteorStats): boolean {
  const testTotal = sum(s.testContent) + sum(s.testFunction);
  const refTotal = sum(s.referenceContent) + sum(s.referenceFunction);
  return testTotal === s.testLength && refTotal === s.referenceLength && s.chunks === 1;
}

/**
 * Meteor's score from statistics: weighted precision and recall (content words weighted δ,
 * function words 1 − δ, matches by module weight), F_mean = 1 / ((1−α)/P + α/R), fragmentation
 * penalty γ·(chunks / mean matches)^β (0 for a perfect one-chunk match), score = F_mean·(1 − Pen),
 * and 0 where the arithmetic gives NaN (an empty segment).
 */
export function meteorScoreFromStats(s: MeteorStats, p: MeteorParameters = METEOR_DEFAULTS): number {
  const { alpha, beta, gamma, delta, weights } = p;
  const testWeightedLength = delta * (s.testLength - s.testFunctionWords) + (1 - delta) * s.testFunctionWords;
  const refWeightedLength = delta * (s.referenceLength - s.referenceFunctionWords) + (1 - delta) * s.referenceFunctionWords;
  let testWeighted = 0;
  let refWeighted = 0;
  for (let i = 0; i < MODULE_SLOTS; i++) testWeighted += (s.testContent[i] as number) * (weights[i] as number) * delta;
  for (let i = 0; i < MODULE_SLOTS; i++) refWeighted += (s.referenceContent[i] as number) * (weights[i] as number) * delta;
  for (let i = 0; i < MODULE_SLOTS; i++) testWeighted += (s.testFunction[i] as number) * (weights[i] as number) * (1 - delta);
  for (let i = 0; i < MODULE_SLOTS; i++) refWeighted += (s.referenceFunction[i] as number) * (weights[i] as number) * (1 - delta);
  const precision = testWeighted / testWeightedLength;
  const recall = refWeighted / refWeightedLength;
  const fMean = 1 / ((1 - alpha) / precision + alpha / recall);
  const frag = isPerfect(s) ? 0 : s.chunks / ((s.testWordMatches + s.referenceWordMatches) / 2);
  const score = fMean * (1 - gamma * frag ** beta);
  return Number.isNaN(score) ? 0 : Math.max(score, 0);
}

/**
 * Adds `s` into `into` as Meteor's aggregate does. The chunks of a perfect segment are not added,
 * so identical pairs do not fragment the corpus statistics.
 */
export function addStats(into: MeteorStats, s: MeteorStats): void {
  into.testLength += s.testLength;
  into.referenceLength += s.referenceLength;
  into.testFunctionWords += s.testFunctionWords;
  into.referenceFunctionWords += s.referenceFunctionWords;
  for (let i = 0; i < MODULE_SLOTS; i++) {
    into.testContent[i] = (into.testContent[i] as number) + (s.testContent[i] as number);
    into.referenceContent[i] = (into.referenceContent[i] as number) + (s.referenceContent[i] as number);
    into.testFunction[i] = (into.testFunction[i] as number) + (s.testFunction[i] as number);
    into.referenceFunction[i] = (into.referenceFunction[i] as number) + (s.referenceFunction[i] as number);
  }
  if (!isPerfect(s)) into.chunks += s.chunks;
  into.testWordMatches += s.testWordMatches;
  into.referenceWordMatches += s.referenceWordMatches;
}
