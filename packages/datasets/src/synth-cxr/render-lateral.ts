/**
 * Renders the lateral view of one synthetic study: anterior to the left, the spine posterior on
 * the right, the heart anterior and low, the lungs behind and above it, the posterior
 * costophrenic sulcus at the bottom right. Findings are drawn at the height they occupy on the
 * frontal view, so both views agree.
 */
import type { SeededRandom } from '../random/seeded-random.js';
import type { Anatomy } from './anatomy.js';
import { zoneV } from './anatomy.js';
import { Canvas } from './canvas.js';
import type { StudyFindings } from './findings.js';

const LUNG_U = 0.54;
const LUNG_HALF_W = 0.27;

function lungMask(c: Canvas, a: Anatomy, fluidHeight: number): { lung: Float32Array; fluid: Float32Array } {
  const n = c.width * c.height;
  const lung = new Float32Array(n);
  const fluid = new Float32Array(n);
  const dome = Math.max(a.domeRight, a.domeLeft);
  const [x0, y0, x1, y1] = c.box(LUNG_U - LUNG_HALF_W, a.lungCentreV - a.lungHalfHeight, LUNG_U + LUNG_HALF_W, a.lungCentreV + a.lungHalfHeight);
  for (let y = y0; y < y1; y++) {
    const v = (y + 0.5) / c.height;
    const dy = (v - a.lungCentreV) / a.lungHalfHeight;
    const ady = Math.abs(dy);
    const fy = dy < 0 ? ady * ady : ady * ady * ady;
    for (let x = x0; x < x1; x++) {
      const u = (x + 0.5) / c.width;
      const dx = (u - LUNG_U) / LUNG_HALF_W;
      const adx = Math.abs(dx);
      const f = (dy < 0 ? adx * adx : adx * adx * adx) + fy;
      const inShape = Math.min(1, Math.max(0, (1 - f) / 0.12));
      // The diaphragm slopes down posteriorly, making the deep posterior sulcus.
      const domeV = dome + 0.02 + 0.08 * Math.max(0, dx) * Math.max(0, dx) - 0.03 * Math.max(0, -dx);
      const i = y * c.width + x;
      lung[i] = inShape * Math.min(1, Math.max(0, (domeV - v) / 0.012));
      if (fluidHeight > 0) {
        const top = dome + 0.1 - fluidHeight - 0.05 * Math.max(0, dx);
        fluid[i] = inShape * Math.min(1, Math.max(0, (v - top) / 0.02)) * (dx > -0.3 ? 1 : 0);
      }
    }
  }
  return { lung, fluid };
}

/** Renders the lateral view as a float canvas (before film response). */
export function renderLateral(size: number, a: Anatomy, f: StudyFindings, rng: SeededRandom): Canvas {
  const c = new Canvas(size, size);
  c.data.fill(0.04);
  c.ellipse(0.49, 0.6, 0.42, 0.62, a.softTissue, 0.06);
  const eff = f.effusion;
  const fluidHeight = eff === undefined ? 0 : eff.certainty === 'unc' ? 0.03 : 0.04 + 0.05 * eff.severity * (eff.side === 'bilateral' ? 1.2 : 1);
  const { lung, fluid } = lungMask(c, a, fluidHeight);
  const n = size * size;
  const aerated = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const l = lung[i] as number;
    aerated[i] = l * (1 - (fluid[i] as number));
    c.data[i] = (c.data[i] as number) * (1 - l) + 0.19 * l;
  }
  // Trachea, spine (vertebral bodies), sternum.
  c.stroke([0.46, 0, 0.5, 0.33], 0.02, -0.1);
  for (let k = 0; k < 12; k++) {
    const v = 0.08 + k * 0.075;
    c.ellipse(0.76 + 0.02 * Math.sin(v * 3), v, 0.04, 0.026, 0.14, 0.3);
  }
  c.stroke([0.14, 0.2, 0.16, 0.42, 0.19, 0.62], 0.011, 0.15);
  // Heart (anterior, low) and the retrosternal space.
  const cm = f.cardiomegaly;
  const heart = cm === undefined ? 1 : cm.certainty === 'unc' ? 1.15 : 1.18 + 0.12 * cm.severity;
  c.ellipse(0.37 + 0.03 * (heart - 1), 0.6, 0.15 * heart, 0.13 * Math.sqrt(heart), 0.3, 0.16, undefined, 0.5);
  if (f.mediastinum !== undefined) c.ellipse(0.32, 0.28, 0.07, 0.1, f.mediastinum.certainty === 'unc' ? 0.07 : 0.06 + 0.03 * f.mediastinum.severity, 0.5);
  c.ellipse(0.52, 0.27, 0.05, 0.04, 0.1, 0.5);
  // Hila and vessels.
  c.gaussian(0.53, a.lungCentreV + 0.03, 0.04, 0.05, 0.1, aerated);
  c.fill(fluid, a.softTissue + 0.06);

  if (f.edema !== undefined) c.gaussian(0.53, a.lungCentreV + 0.04, 0.11, 0.13, f.edema.certainty === 'unc' ? 0.05 : 0.05 + 0.045 * f.edema.severity, aerated);
  const depth = (): number => LUNG_U + rng.range(-0.12, 0.12);
  if (f.consolidation !== undefined) {
    const v = zoneV(a, f.consolidation.zone);
    const u = depth();
    for (let k = 0; k < 5; k++) c.ellipse(u + rng.range(-0.05, 0.05), v + rng.range(-0.03, 0.03), 0.045, 0.035, 0.13, 0.6, aerated);
  }
  if (f.opacity !== undefined) {
    const v = zoneV(a, f.opacity.zone);
    const u = depth();
    for (let k = 0; k < 5; k++) c.gaussian(u + rng.range(-0.06, 0.06), v + rng.range(-0.04, 0.04), 0.025, 0.025, 0.08, aerated);
  }
  if (f.atelectasis !== undefined) {
    const v = zoneV(a, 'lower') + 0.04;
    c.stroke([0.4, v, 0.7, v + 0.02], 0.01, 0.17, aerated);
  }
  const les = f.lesion;
  if (les !== undefined) {
    const r = les.kind === 'mass' ? 0.04 : 0.017;
    c.ellipse(0.42 + les.u * 0.25, zoneV(a, les.zone) + (les.v - 0.5) * 0.07, r, r, 0.3, 0.2, aerated);
  }
  if (f.pleuralThickening !== undefined && !f.pleuralThickening.apical) {
    c.stroke([0.78, 0.3, 0.8, 0.5, 0.78, 0.66], 0.012, 0.12, aerated);
  }
  if (f.pneumothorax !== undefined) {
    // Free air collects anteriorly and at the apex on a lateral film.
    c.ellipse(0.35, 0.2, 0.08, 0.06, f.pneumothorax.certainty === 'unc' ? -0.03 : -0.03 - 0.015 * f.pneumothorax.severity, 0.4, lung);
  }
  const dev = f.devices;
  if (dev !== undefined) {
    for (const kind of dev.kinds) {
      if (kind === 'ett') c.stroke([0.45, 0, 0.49, 0.27], 0.006, 0.45);
      else if (kind === 'central-line') c.stroke([0.4, 0.12, 0.44, 0.2, 0.45, 0.36], 0.004, 0.45);
      else if (kind === 'pacemaker') {
        c.ellipse(0.16, 0.19, 0.025, 0.035, 0.6, 0.2);
        c.stroke([0.17, 0.2, 0.3, 0.3, 0.38, 0.5, 0.32, 0.66], 0.004, 0.5);
      } else c.stroke([0.7, 0.74, 0.6, 0.5, 0.5, 0.22], 0.007, 0.35);
    }
  }
  c.blur();
  return c;
}
