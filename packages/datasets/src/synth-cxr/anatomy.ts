/**
 * Per-patient geometry of the synthetic chest: the same patient keeps the same body habitus,
 * lung shape and heart position across studies, so a prior and a current study differ only by
 * their findings (what longitudinal models are meant to see).
 */
import type { SeededRandom } from '../random/seeded-random.js';

/** Normalised geometry of one patient's chest (frontal-view coordinates). */
export interface Anatomy {
  /** Horizontal centre of the thorax. */
  readonly midline: number;
  /** Lung half-width and half-height. */
  readonly lungHalfWidth: number;
  readonly lungHalfHeight: number;
  /** Vertical centre of the lungs. */
  readonly lungCentreV: number;
  /** Height of the top of each diaphragm dome (right usually higher). */
  readonly domeRight: number;
  readonly domeLeft: number;
  /** Normal heart half-width; cardiomegaly scales it. */
  readonly heartHalfWidth: number;
  /** Upper mediastinum half-width. */
  readonly mediastinumHalfWidth: number;
  /** Vertical phase of the posterior ribs. */
  readonly ribPhase: number;
  /** Soft-tissue attenuation (body habitus). */
  readonly softTissue: number;
  /** Seed for the lung-marking tree, fixed per patient. */
  readonly vesselSeed: number;
}

/** Sample one patient's chest geometry. */
export function sampleAnatomy(rng: SeededRandom): Anatomy {
  return {
    midline: 0.5 + rng.range(-0.015, 0.015),
    lungHalfWidth: rng.range(0.155, 0.175),
    lungHalfHeight: rng.range(0.3, 0.34),
    lungCentreV: rng.range(0.43, 0.47),
    domeRight: rng.range(0.69, 0.72),
    domeLeft: rng.range(0.72, 0.75),
    heartHalfWidth: rng.range(0.15, 0.165),
    mediastinumHalfWidth: rng.range(0.06, 0.07),
    ribPhase: rng.range(0, 0.02),
    softTissue: rng.range(0.4, 0.48),
    vesselSeed: rng.int(0x7fffffff),
  };
}

/** Horizontal centre of a lung on the frontal image (patient's right is the image's left). */
export function lungCentreU(a: Anatomy, side: 'right' | 'left'): number {
  const offset = a.lungHalfWidth + 0.045;
  return side === 'right' ? a.midline - offset : a.midline + offset;
}

/** The diaphragm surface of one side at image column u: a dome, highest near the lung centre. */
export function domeAt(a: Anatomy, side: 'right' | 'left', u: number): number {
  const top = side === 'right' ? a.domeRight : a.domeLeft;
  const du = (u - lungCentreU(a, side) - (side === 'right' ? -0.02 : 0.02)) / a.lungHalfWidth;
  return top + 0.07 * du * du;
}

/** Vertical range of a lung zone. */
export function zoneV(a: Anatomy, zone: 'upper' | 'mid' | 'lower'): number {
  const top = a.lungCentreV - a.lungHalfHeight;
  const span = Math.min(a.domeRight, a.domeLeft) - top;
  return zone === 'upper' ? top + 0.22 * span : zone === 'mid' ? top + 0.52 * span : top + 0.8 * span;
}
