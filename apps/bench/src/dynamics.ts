import type { StepRecord } from '@came-grad/cli';

/** Points kept per series: enough for a plot, small enough for a JSON line per run. */
export const SERIES_POINTS = 60;

/** The gradient-dynamics summary of one run, from its `log.jsonl` (came-grad.md §7). */
export interface DynamicsSummary {
  readonly steps: number;
  readonly skippedSteps: number;
  /** Share of applied steps with a negative inner product between two task gradients. */
  readonly conflictShare: number | null;
  readonly meanEnergyRatio: number | null;
  readonly meanJointNorm: number | null;
  /** ‖g_final‖: the update direction's norm before the learning rate. */
  readonly meanFinalNorm: number | null;
  /** Median wall time of one optimizer step, in ms (the first step, which compiles kernels, excluded). */
  readonly medianStepMs: number | null;
  readonly branches: Readonly<Record<string, number>>;
  /** Per-step series, averaged over equal windows to at most {@link SERIES_POINTS} points. */
  readonly series: {
    readonly step: number[];
    readonly conflictShare: (number | null)[];
    readonly energyRatio: (number | null)[];
    readonly jointNorm: (number | null)[];
    readonly finalNorm: (number | null)[];
  };
}

/** Parses the step records of a `log.jsonl` text (validation records and blank lines are skipped). */
export function parseStepLog(text: string): StepRecord[] {
  const out: StepRecord[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let record: { type?: unknown };
    try {
      record = JSON.parse(line) as { type?: unknown };
    } catch {
      throw new Error(`log.jsonl line ${index + 1} should be JSON. Found ${JSON.stringify(line.slice(0, 60))}`);
    }
    if (record.type === 'step') out.push(record as StepRecord);
  }
  return out;
}

function mean(values: readonly (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length === 0 ? null : finite.reduce((a, b) => a + b, 0) / finite.length;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Windowed means of a per-step quantity: windows of ⌈n / points⌉ steps, each reported at its
 * first step. A resumed run may log a step twice; the later record wins.
 */
function windows(steps: readonly StepRecord[], points: number, pick: (r: StepRecord) => number | null): { step: number[]; value: (number | null)[] } {
  const size = Math.max(1, Math.ceil(steps.length / points));
  const step: number[] = [];
  const value: (number | null)[] = [];
  for (let start = 0; start < steps.length; start += size) {
    const slice = steps.slice(start, start + size);
    step.push((slice[0] as StepRecord).step);
    value.push(mean(slice.map(pick)));
  }
  return { step, value };
}

/** Summarises the step records of a run (only the last record of each step counts). */
export function summarizeDynamics(records: readonly StepRecord[], points = SERIES_POINTS): DynamicsSummary {
  const byStep = new Map<number, StepRecord>();
  for (const r of records) byStep.set(r.step, r);
  const steps = [...byStep.values()].sort((a, b) => a.step - b.step);
  const applied = steps.filter((r) => r.skipped === null);
  const conflicts = applied.map((r) => r.conflict).filter((c): c is boolean => c !== null);
  const branches: Record<string, number> = {};
  for (const r of applied) if (r.branch !== null) branches[r.branch] = (branches[r.branch] ?? 0) + 1;
  const conflictValue = (r: StepRecord): number | null => (r.skipped !== null || r.conflict === null ? null : r.conflict ? 1 : 0);
  const conflict = windows(steps, points, conflictValue);
  return {
    steps: steps.length,
    skippedSteps: steps.length - applied.length,
    conflictShare: conflicts.length === 0 ? null : conflicts.filter(Boolean).length / conflicts.length,
    meanEnergyRatio: mean(applied.map((r) => r.energyRatio)),
    meanJointNorm: mean(applied.map((r) => r.norms.joint)),
    meanFinalNorm: mean(applied.map((r) => r.norms.final)),
    medianStepMs: median(steps.slice(1).map((r) => r.ms)),
    branches,
    series: {
      step: conflict.step,
      conflictShare: conflict.value,
      energyRatio: windows(steps, points, (r) => r.energyRatio).value,
      jointNorm: windows(steps, points, (r) => r.norms.joint).value,
      finalNorm: windows(steps, points, (r) => r.norms.final).value,
    },
  };
}
