/** Averaging of CE precision/recall/F1 over the (report × observation) label matrix. */
export type CeAverage = 'micro' | 'macro' | 'example';

/** Counts and scores of one observation (one column of the label matrix). */
export interface ClassScores {
  readonly observation: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  /** Reports whose reference is positive for this observation (tp + fn). */
  readonly support: number;
}

/** Scores of a binarised matrix pair, before the configuration is attached. */
export interface BinaryScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Fraction of reports whose predicted vector equals the reference vector on every observation. */
  readonly accuracy: number;
  readonly perClass: readonly ClassScores[];
}

/** a / b, or 0 when b = 0: NaN → 0 as `np.nan_to_num` and sklearn's `zero_division=0` do. */
function safe(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** F1 = TP / (TP + ½(FP + FN)), the CAME-Grad form; equal to 2PR/(P+R) whenever that is defined. */
function f1Of(tp: number, fp: number, fn: number): number {
  return safe(tp, tp + 0.5 * (fp + fn));
}

/**
 * Precision, recall and F1 of binary prediction and reference matrices (spec
 * `clinical-metrics.md` §5). Rows are reports, columns the observations in `names` order;
 * entries are 0 or 1.
 */
export function scoreBinary(
  pred: readonly Uint8Array[],
  ref: readonly Uint8Array[],
  names: readonly string[],
  average: CeAverage,
): BinaryScores {
  const C = names.length;
  const tp = new Float64Array(C);
  const fp = new Float64Array(C);
  const fn = new Float64Array(C);
  let exP = 0;
  let exR = 0;
  let exF = 0;
  let exact = 0;
  for (let n = 0; n < pred.length; n++) {
    const p = pred[n]!;
    const y = ref[n]!;
    let tpN = 0;
    let fpN = 0;
    let fnN = 0;
    for (let c = 0; c < C; c++) {
      if (p[c] === 1 && y[c] === 1) {
        tpN++;
        tp[c]!++;
      } else if (p[c] === 1) {
        fpN++;
        fp[c]!++;
      } else if (y[c] === 1) {
        fnN++;
        fn[c]!++;
      }
    }
    // A report with no positives on either side scores 0, not 1 (PromptMRG's NaN → 0).
    exP += safe(tpN, tpN + fpN);
    exR += safe(tpN, tpN + fnN);
    exF += f1Of(tpN, fpN, fnN);
    if (fpN === 0 && fnN === 0) exact++;
  }
  const perClass: ClassScores[] = names.map((observation, c) => ({
    observation,
    precision: safe(tp[c]!, tp[c]! + fp[c]!),
    recall: safe(tp[c]!, tp[c]! + fn[c]!),
    f1: f1Of(tp[c]!, fp[c]!, fn[c]!),
    tp: tp[c]!,
    fp: fp[c]!,
    fn: fn[c]!,
    support: tp[c]! + fn[c]!,
  }));
  const N = pred.length;
  const accuracy = safe(exact, N);
  if (average === 'example') {
    return { precision: safe(exP, N), recall: safe(exR, N), f1: safe(exF, N), accuracy, perClass };
  }
  if (average === 'micro') {
    let sTp = 0;
    let sFp = 0;
    let sFn = 0;
    for (let c = 0; c < C; c++) {
      sTp += tp[c]!;
      sFp += fp[c]!;
      sFn += fn[c]!;
    }
    return { precision: safe(sTp, sTp + sFp), recall: safe(sTp, sTp + sFn), f1: f1Of(sTp, sFp, sFn), accuracy, perClass };
  }
  // Macro-F1 is the mean of per-class F1, not the F1 of macro-P and macro-R.
  const mean = (pick: (s: ClassScores) => number): number => safe(perClass.reduce((acc, s) => acc + pick(s), 0), C);
  return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1), accuracy, perClass };
}
