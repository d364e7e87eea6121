import type { StageDiagnostics } from '../diagnostics/step-diagnostics';
import { quadForm } from '../gram/kspace';
import { normalizeGramian } from '../gram/normalize';
import type { Weighting } from '../types';
import { defineWeighting } from './define-weighting';
import { checkBoolean, checkNumber, checkOptionKeys, checkWeightVector, resolveTaskWeights } from './options';
import { rectify } from './rectify';

/** Stage switches for ablations (came-grad.md §4, project convention). */
export interface CameGradStages {
  /** S1; off: u_rect := μ. */
  readonly rectify?: boolean;
  /** S2; off: u_en := u_rect (no norm reset). */
  readonly energize?: boolean;
  /** S3; off: ν := 0. */
  readonly fuse?: boolean;
}

/** Options of CAME-Grad (came-grad.md §2, §4). */
export interface CameGradOptions {
  /** ρ ≥ 0, trust-region radius relative to ‖μ‖ (`--came_rho`). Default 0.5. */
  readonly rho?: number;
  /** κ > 0, magnitude gain (`--came_kappa`). Default 1.5. */
  readonly kappa?: number;
  /** ν ∈ [0, 1], fusion coefficient (`--came_nu`). Default 0.2. */
  readonly nu?: number;
  /** ω: the backbone's linear-scalarisation loss weights (length K, ≥ 0). Default all ones. */
  readonly weights?: readonly number[];
  /** ε/s_G in S2 (relative, ≥ 0). Default 0: ‖u_en‖ = κ‖g_joint‖ exactly. */
  readonly epsRel?: number;
  /** Relative zero test on the normalised scale, 0 < zeroTol ≤ 1e-3. Default 1e-7. */
  readonly zeroTol?: number;
  /** Stage switches, all on by default. */
  readonly stages?: CameGradStages;
}

/** Info of a CAME-Grad step: the S1/S2 quantities (copied into the aggregator's diagnostics). */
export interface CameGradInfo {
  readonly stages: StageDiagnostics;
}

/** Defaults of {@link createCameGrad} (the released `main_train.py` flags). */
export const CAME_GRAD_DEFAULTS = Object.freeze({
  rho: 0.5,
  kappa: 1.5,
  nu: 0.2,
  epsRel: 0,
  zeroTol: 1e-7,
  stages: Object.freeze({ rectify: true, energize: true, fuse: true }),
});

/**
 * CAME-Grad (Zhang, Hao, Wang, Guo, "The Double Dilemma in Multi-Task Radiology Report Generation",
 * ICML 2026, arXiv 2605.22635), the K-space map f(M, ω; ρ, κ, ν) of came-grad.md §4:
 * S1 u_rect = CAGrad(c = ρ, no rescale) on the unweighted mean μ; S2 u_en = u_rect·κ‖g_joint‖/‖u_rect‖;
 * S3 g_final = (1−ν)u_en + νκ·g_joint, with g_joint = Σ ω_i g_i. Degenerate inputs follow §5
 * (branches `zero`, `mean`, `projection`, `regular`). Everything is solved on M/s_G², so
 * f(sG) = f(G) for s ≠ 0. Deviations from the paper: ε is relative (`epsRel`, default 0) with an
 * explicit zero branch; the stage switches define the ablations, which the paper leaves open.
 */
export function createCameGrad(options: CameGradOptions = {}): Weighting<CameGradInfo> {
  checkOptionKeys('came-grad', options, ['rho', 'kappa', 'nu', 'weights', 'epsRel', 'zeroTol', 'stages']);
  const d = CAME_GRAD_DEFAULTS;
  const rho = checkNumber('came-grad.rho', options.rho ?? d.rho, { min: 0 });
  const kappa = checkNumber('came-grad.kappa', options.kappa ?? d.kappa, { min: 0, minOpen: true });
  const nu = checkNumber('came-grad.nu', options.nu ?? d.nu, { min: 0, max: 1 });
  const epsRel = checkNumber('came-grad.epsRel', options.epsRel ?? d.epsRel, { min: 0 });
  const zeroTol = checkNumber('came-grad.zeroTol', options.zeroTol ?? d.zeroTol, { min: 0, minOpen: true, max: 1e-3 });
  const weights = options.weights === undefined ? undefined : checkWeightVector('came-grad.weights', options.weights);
  const st = options.stages ?? {};
  checkOptionKeys('came-grad.stages', st, ['rectify', 'energize', 'fuse']);
  const stages = {
    rectify: checkBoolean('came-grad.stages.rectify', st.rectify ?? true),
    energize: checkBoolean('came-grad.stages.energize', st.energize ?? true),
    fuse: checkBoolean('came-grad.stages.fuse', st.fuse ?? true),
  };
  const config: Record<string, unknown> = { rho, kappa, nu, epsRel, zeroTol, stages };
  if (weights !== undefined) config.weights = [...weights];
  return defineWeighting<CameGradInfo>({
    id: 'came-grad',
    options: config,
    taskWeights: weights,
    weigh: (gram, ctx) => {
      const K = gram.rows;
      const omega = resolveTaskWeights(K, ctx, weights);
      const { gram: Mn, scale } = normalizeGramian(gram);
      if (scale === 0) {
        return { weights: new Float64Array(K), info: { stages: zeroStages() } };
      }
      const s = Math.sqrt(scale);
      const rect = rectify(Mn, rho, zeroTol, !stages.rectify);
      const nr = Math.sqrt(rect.normSq);
      let e: Float64Array;
      if (!stages.energize) e = Float64Array.from(rect.r);
      else if (nr <= zeroTol) e = new Float64Array(K);
      else {
        const sigma = (kappa * Math.sqrt(quadForm(Mn.data, K, omega))) / (nr + epsRel);
        e = rect.r.map((ri) => sigma * ri);
      }
      const f = new Float64Array(K);
      for (let i = 0; i < K; i++) {
        f[i] = stages.fuse ? (1 - nu) * (e[i] as number) + nu * kappa * (omega[i] as number) : (e[i] as number);
      }
      return {
        weights: f,
        info: {
          stages: {
            branch: rect.branch,
            dualWeights: rect.alpha,
            lambda: rect.lambda,
            dualValue: rect.dualValue === null ? null : scale * rect.dualValue,
            dualityGap: rect.gap,
            rectNorm: s * nr,
            enNorm: s * Math.sqrt(quadForm(Mn.data, K, e)),
            minInnerRect: scale * rect.minInner,
          },
        },
      };
    },
  });
}

function zeroStages(): StageDiagnostics {
  return {
    branch: 'zero', dualWeights: null, lambda: null, dualValue: null, dualityGap: null,
    rectNorm: 0, enNorm: 0, minInnerRect: 0,
  };
}
