import type { ClinicalEfficacyOptions } from './clinical-efficacy';

/**
 * The CE settings of the papers and tools that report clinical efficacy (spec
 * `clinical-metrics.md` §6), ready to pass to `clinicalEfficacy`. The labeler differs between
 * them (CheXpert rules for R2Gen, CheXbert for the others), so numbers computed from this
 * package's rule-based labels are comparable in protocol, not in labeler.
 */
export const CE_PROTOCOLS = Object.freeze({
  /**
   * CAME-Grad (ICML 2026, `vpsg-research/CAME-Grad`, `modules/metrics_clinical.py`): uncertain
   * counts as positive on both sides, macro over 14, F1_c = TP/(TP + ½(FP+FN)), NaN → 0. The
   * project's primary protocol.
   */
  'came-grad': Object.freeze({ positive: 'positive-or-uncertain', average: 'macro', observations: 14 }),
  /**
   * R2Gen (Chen et al., EMNLP 2020, `zhjohnchan/R2Gen`, `compute_ce.py`): CheXpert labeler,
   * positive only (uncertain and blank → 0), micro over 14.
   */
  r2gen: Object.freeze({ positive: 'positive', average: 'micro', observations: 14 }),
  /**
   * PromptMRG (Jin et al., AAAI 2024, `jhb86253817/PromptMRG`, `modules/metrics_clinical.py`):
   * CheXbert, positive only, example-based (per report, NaN → 0, mean over reports).
   */
  promptmrg: Object.freeze({ positive: 'positive', average: 'example', observations: 14 }),
  /**
   * DDaTR (`xmed-lab/DDaTR`, its copy of PromptMRG's file): predictions positive-or-uncertain but
   * references positive only (an asymmetry of that copy), macro over 14.
   */
  ddatr: Object.freeze({ positive: 'positive-or-uncertain', refPositive: 'positive', average: 'macro', observations: 14 }),
  /** `f1chexbert` (vilmedic) micro scores over the 5 competition observations, uncertain as positive. */
  'f1chexbert-5-micro': Object.freeze({ positive: 'positive-or-uncertain', average: 'micro', observations: 5 }),
  /** `f1chexbert` (vilmedic) macro scores over the 5 competition observations, uncertain as positive. */
  'f1chexbert-5-macro': Object.freeze({ positive: 'positive-or-uncertain', average: 'macro', observations: 5 }),
} as const satisfies Record<string, ClinicalEfficacyOptions>);

/** Name of a protocol in {@link CE_PROTOCOLS}. */
export type CeProtocol = keyof typeof CE_PROTOCOLS;
