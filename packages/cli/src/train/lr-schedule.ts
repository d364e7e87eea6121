/** Linear warm-up then cosine decay, the schedule of the PromptMRG family's trainers. */
export interface LrSchedule {
  readonly peak: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
  /** Learning rate reached at the last step, as a fraction of `peak`. */
  readonly finalFraction: number;
}

/**
 * Learning rate at optimizer step `step` (0-based): `peak·(step+1)/warmup` during warm-up, then
 * a half cosine from `peak` down to `peak·finalFraction` at `totalSteps − 1`. A pure function of
 * the step, so a resumed run needs no schedule state.
 */
export function learningRateAt(schedule: LrSchedule, step: number): number {
  const { peak, warmupSteps, totalSteps, finalFraction } = schedule;
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const decaySteps = Math.max(1, totalSteps - warmupSteps - 1);
  const progress = Math.min(1, (step - warmupSteps) / decaySteps);
  const floor = peak * finalFraction;
  return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
