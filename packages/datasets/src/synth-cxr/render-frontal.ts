/**
 * Renders a frontal (PA) chest radiograph of one synthetic study: body, lungs with vessel
 * markings, mediastinum, heart, spine, ribs, clavicles and diaphragm, then the study's findings
 * with their side and severity. The patient's right is drawn on the image's left.
 */
import { createRandom } from '../random/seeded-random.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { domeAt, lungCentreU, zoneV } from './anatomy.js';
import type { Anatomy } from './anatomy.js';
import { Canvas } from './canvas.js';
import type { Severity, Side, StudyFindings } from './findings.js';

const SIDES: readonly Side[] = ['right', 'left'];
/** Direction of "lateral" in image u for each side. */
const lateral = (side: Side): number => (side === 'right' ? -1 : 1);

/** Per-lung soft masks in canvas pixels. */
interface LungMasks {
  /** The lung field down to the diaphragm. */
  lung: Float32Array;
  /** Superellipse "shape value" per pixel (< 1 inside), used for rims (pneumothorax, thickening). */
  shape: Float32Array;
  /** The pleural space down to the costophrenic sulcus, ignoring the dome (where fluid collects). */
  pleural: Float32Array;
}

function lungMasks(c: Canvas, a: Anatomy, side: Side): LungMasks {
  const n = c.width * c.height;
  const lung = new Float32Array(n);
  const shape = new Float32Array(n).fill(9);
  const pleural = new Float32Array(n);
  const cu = lungCentreU(a, side);
  const [x0, y0, x1, y1] = c.box(cu - a.lungHalfWidth * 1.1, a.lungCentreV - a.lungHalfHeight * 1.1, cu + a.lungHalfWidth * 1.1, 0.9);
  for (let y = y0; y < y1; y++) {
    const v = (y + 0.5) / c.height;
    const dy = (v - a.lungCentreV) / a.lungHalfHeight;
    // A rounded apex above (exponent 2), a boxier base below (exponent 3): the costophrenic angle is
    // where the base meets the dome.
    const ady = Math.abs(dy);
    const fy = dy < 0 ? ady * ady : ady * ady * ady;
    for (let x = x0; x < x1; x++) {
      const u = (x + 0.5) / c.width;
      const dx = (u - cu) / a.lungHalfWidth;
      const adx = Math.abs(dx);
      const f = (dy < 0 ? adx * adx : adx * adx * adx) + fy;
      const i = y * c.width + x;
      shape[i] = f;
      const inShape = Math.min(1, Math.max(0, (1 - f) / 0.12));
      const aboveDome = Math.min(1, Math.max(0, (domeAt(a, side, u) - v) / 0.012));
      lung[i] = inShape * aboveDome;
      pleural[i] = inShape;
    }
  }
  return { lung, shape, pleural };
}

/** Fluid filling the pleural space from the sulcus up, with a meniscus rising laterally. */
function effusionMask(c: Canvas, a: Anatomy, side: Side, masks: LungMasks, severity: Severity | 0.6): Float32Array {
  const height = severity === 0.6 ? 0.035 : severity === 1 ? 0.06 : severity === 2 ? 0.12 : 0.21;
  const cu = lungCentreU(a, side);
  const base = (side === 'right' ? a.domeRight : a.domeLeft) + 0.06;
  const out = new Float32Array(masks.pleural.length);
  for (let y = 0; y < c.height; y++) {
    const v = (y + 0.5) / c.height;
    for (let x = 0; x < c.width; x++) {
      const i = y * c.width + x;
      const m = masks.pleural[i] as number;
      if (m <= 0) continue;
      const u = (x + 0.5) / c.width;
      const lat = Math.max(0, ((u - cu) * lateral(side)) / a.lungHalfWidth);
      const top = base - height - 0.12 * lat * lat;
      // Denser towards the bottom, as the fluid layer thickens.
      out[i] = m * Math.min(1, Math.max(0, (v - top) / 0.035));
    }
  }
  return out;
}

/** A rim just inside the lung edge: a band of the shape value between `from` and `to`. */
function rimMask(c: Canvas, masks: LungMasks, from: number, to: number, vMax: number): Float32Array {
  const out = new Float32Array(masks.lung.length);
  const yMax = Math.min(c.height, Math.ceil(vMax * c.height));
  for (let y = 0; y < yMax; y++) {
    const fade = Math.min(1, (vMax * c.height - y) / (0.08 * c.height));
    for (let x = 0; x < c.width; x++) {
      const i = y * c.width + x;
      const f = masks.shape[i] as number;
      if (f > from && f < to) out[i] = (masks.lung[i] as number) * fade;
    }
  }
  return out;
}

/** Vessel markings: a few branching trees from each hilum, fixed per patient. */
function drawVessels(c: Canvas, a: Anatomy, aerated: Float32Array, gain: number, rng: SeededRandom): void {
  for (const side of SIDES) {
    const hu = a.midline + 0.075 * lateral(side);
    const hv = a.lungCentreV + 0.02;
    for (let k = 0; k < 7; k++) {
      let u = hu;
      let v = hv;
      let angle = (k / 6) * 2.3 - 1.15 + rng.range(-0.15, 0.15);
      const pts: number[] = [u, v];
      let len = 0.045;
      for (let s = 0; s < 5; s++) {
        angle += rng.range(-0.25, 0.25);
        u += Math.cos(angle) * len * lateral(side);
        v += Math.sin(angle) * len;
        pts.push(u, v);
        len *= 0.9;
      }
      c.stroke(pts.slice(0, 6), 0.005, 0.05 * gain, aerated);
      c.stroke(pts.slice(4), 0.003, 0.04 * gain, aerated);
    }
  }
}

function drawRibs(c: Canvas, a: Anatomy, fracture: StudyFindings['fracture']): void {
  for (const side of SIDES) {
    const s = lateral(side);
    for (let k = 0; k < 9; k++) {
      const v0 = 0.15 + a.ribPhase + k * 0.062;
      const pts: number[] = [];
      const broken = fracture?.side === side && fracture.rib === k + 1;
      for (let t = 0; t <= 1.0001; t += 0.1) {
        const u = a.midline + s * (0.035 + 0.36 * t);
        const v = v0 - 0.03 * Math.sin(Math.PI * t * 0.7) + 0.15 * t * t;
        if (broken && t > 0.5 && t < 0.7) {
          // The break: end the first fragment, leave a gap, and step the second fragment down.
          c.stroke(pts, 0.008, 0.06);
          pts.length = 0;
          continue;
        }
        pts.push(u, broken && t >= 0.7 ? v + 0.02 : v);
      }
      c.stroke(pts, 0.008, 0.06);
      if (broken) c.ellipse(a.midline + s * 0.25, v0 + 0.045, 0.02, 0.014, 0.1, 0.5);
    }
  }
}

/** Renders the frontal view as a float canvas (before film response). */
export function renderFrontal(size: number, a: Anatomy, f: StudyFindings, rng: SeededRandom): Canvas {
  const c = new Canvas(size, size);
  c.data.fill(0.04);
  c.ellipse(a.midline, 0.62, 0.47, 0.62, a.softTissue, 0.06);
  c.ellipse(a.midline, 0.02, 0.1, 0.12, a.softTissue * 0.8, 0.2);
  // Shoulders and humeral heads square off the upper chest.
  for (const side of SIDES) {
    const s = lateral(side);
    c.ellipse(a.midline + s * 0.3, 0.24, 0.2, 0.12, a.softTissue, 0.25, undefined, -s * 0.35);
    c.ellipse(a.midline + s * 0.44, 0.17, 0.04, 0.045, 0.1, 0.4);
  }

  const masks = { right: lungMasks(c, a, 'right'), left: lungMasks(c, a, 'left') };
  const n = size * size;
  const aerated = new Float32Array(n);
  const pneumo = new Float32Array(n);
  const fluid = new Float32Array(n);
  const ptx = f.pneumothorax;
  for (const side of SIDES) {
    const m = masks[side];
    if (ptx?.side === side) {
      const depth = ptx.certainty === 'unc' ? 0.12 : ptx.severity === 1 ? 0.2 : ptx.severity === 2 ? 0.35 : 0.55;
      const rim = rimMask(c, m, 1 - depth, 9, a.lungCentreV + 0.12);
      for (let i = 0; i < n; i++) pneumo[i] = Math.max(pneumo[i] as number, rim[i] as number);
      // The visceral pleural line at the collapsed lung's edge.
      const line = rimMask(c, m, 1 - depth - 0.07, 1 - depth, a.lungCentreV + 0.12);
      for (let i = 0; i < n; i++) c.data[i] = (c.data[i] as number) + 0.14 * (line[i] as number);
    }
    const eff = f.effusion;
    if (eff !== undefined && (eff.side === side || eff.side === 'bilateral')) {
      const mask = effusionMask(c, a, side, m, eff.certainty === 'unc' ? 0.6 : eff.severity);
      for (let i = 0; i < n; i++) fluid[i] = Math.max(fluid[i] as number, mask[i] as number);
    }
  }
  const lungTone = 0.19;
  for (let i = 0; i < n; i++) {
    const lung = Math.max(masks.right.lung[i] as number, masks.left.lung[i] as number);
    aerated[i] = lung * (1 - (pneumo[i] as number)) * (1 - (fluid[i] as number));
    const d = c.data[i] as number;
    c.data[i] = d * (1 - lung) + lungTone * lung - 0.13 * (pneumo[i] as number);
  }

  const edemaGain = f.edema === undefined ? 1 : 1 + 0.25 * (f.edema.certainty === 'unc' ? 0.5 : f.edema.severity);
  drawVessels(c, a, aerated, edemaGain, createRandom(a.vesselSeed));

  // Mediastinum, trachea, aortic knob and heart.
  const medScale = f.mediastinum === undefined ? 1 : f.mediastinum.certainty === 'unc' ? 1.3 : 1.35 + 0.25 * f.mediastinum.severity;
  c.ellipse(a.midline, 0.3, a.mediastinumHalfWidth * medScale, 0.27, 0.3, 0.3);
  c.stroke([a.midline, 0.0, a.midline, 0.31], 0.016, -0.12);
  c.stroke([a.midline, 0.31, a.midline - 0.05, 0.38], 0.01, -0.08);
  c.stroke([a.midline, 0.31, a.midline + 0.05, 0.38], 0.01, -0.08);
  c.ellipse(a.midline + 0.055, 0.26, 0.03 * Math.sqrt(medScale), 0.025, 0.12, 0.4);
  const cm = f.cardiomegaly;
  const heart = cm === undefined ? 1 : cm.certainty === 'unc' ? 1.17 : 1.22 + 0.14 * cm.severity;
  c.ellipse(a.midline + 0.035 + 0.05 * (heart - 1), 0.6, a.heartHalfWidth * heart, 0.12 * Math.sqrt(heart), 0.3, 0.2, undefined, -0.25);
  c.stroke([a.midline, 0, a.midline, 1], 0.028, 0.08);
  drawRibs(c, a, f.fracture);
  for (const side of SIDES) {
    const s = lateral(side);
    c.stroke([a.midline + s * 0.045, 0.175, a.midline + s * 0.17, 0.15, a.midline + s * 0.3, 0.12], 0.012, 0.16);
  }
  c.ellipse(lungCentreU(a, 'left') + 0.02, a.domeLeft + 0.07, 0.035, 0.025, -0.12, 0.4);

  // Fluid last among the soft tissues so it hides the sulcus and the dome.
  c.fill(fluid, a.softTissue + 0.06);
  drawParenchyma(c, a, f, aerated, masks, rng);
  drawPleura(c, a, f, masks);
  drawDevices(c, a, f);
  c.blur();
  return c;
}

function drawParenchyma(c: Canvas, a: Anatomy, f: StudyFindings, aerated: Float32Array, masks: Record<Side, LungMasks>, rng: SeededRandom): void {
  if (f.edema !== undefined) {
    const amp = f.edema.certainty === 'unc' ? 0.06 : 0.07 + 0.05 * f.edema.severity;
    for (const side of SIDES) {
      c.gaussian(a.midline + 0.12 * lateral(side), a.lungCentreV + 0.04, 0.08, 0.11, amp, aerated);
      if (f.edema.severity === 3) c.gaussian(lungCentreU(a, side), a.lungCentreV + 0.22, 0.12, 0.07, amp * 0.6, aerated);
    }
  }
  const con = f.consolidation;
  if (con !== undefined) {
    const cu = lungCentreU(a, con.side) + lateral(con.side) * 0.25 * a.lungHalfWidth;
    const cv = zoneV(a, con.zone);
    const amp = con.certainty === 'unc' ? 0.16 : 0.26;
    // Lobar shape: the consolidation fills its lobe up to a fissure-like edge (upper lobe: a
    // sharp lower border; lower lobe: up from the diaphragm, whose outline it effaces), with a
    // patchy interior from a few overlapping blobs.
    c.ellipse(cu, cv, 0.9 * a.lungHalfWidth, 0.07, amp * 0.8, 0.15, masks[con.side].lung);
    if (con.zone === 'lower') c.ellipse(cu, cv + 0.07, 0.9 * a.lungHalfWidth, 0.06, amp * 0.6, 0.3, masks[con.side].lung);
    for (let k = 0; k < 4; k++) {
      c.ellipse(cu + rng.range(-0.05, 0.05), cv + rng.range(-0.03, 0.03), rng.range(0.03, 0.05), rng.range(0.025, 0.04), amp * 0.3, 0.6, aerated);
    }
    // Air bronchograms: air-filled bronchi stand out against the filled alveoli.
    c.stroke([cu - 0.04 * lateral(con.side), cv - 0.02, cu + 0.02 * lateral(con.side), cv + 0.01], 0.004, -0.07, aerated);
  }
  const op = f.opacity;
  if (op !== undefined) {
    const cu = lungCentreU(a, op.side);
    const cv = zoneV(a, op.zone);
    for (let k = 0; k < 7; k++) {
      c.gaussian(cu + rng.range(-0.07, 0.07), cv + rng.range(-0.05, 0.05), rng.range(0.015, 0.03), rng.range(0.015, 0.03), op.certainty === 'unc' ? 0.06 : 0.1, aerated);
    }
  }
  const atel = f.atelectasis;
  if (atel !== undefined) {
    for (const side of SIDES) {
      if (atel.side !== side && atel.side !== 'bilateral') continue;
      const cu = lungCentreU(a, side);
      const v = zoneV(a, 'lower') + 0.03;
      const tilt = rng.range(-0.015, 0.015);
      c.stroke([cu - 0.6 * a.lungHalfWidth, v - tilt, cu + 0.6 * a.lungHalfWidth, v + tilt], 0.012, atel.certainty === 'unc' ? 0.17 : 0.26, aerated);
    }
  }
  const les = f.lesion;
  if (les !== undefined) {
    const u = lungCentreU(a, les.side) + (les.u - 0.5) * 0.9 * a.lungHalfWidth;
    const v = zoneV(a, les.zone) + (les.v - 0.5) * 0.07;
    const r = les.kind === 'mass' ? 0.042 : les.certainty === 'unc' ? 0.014 : 0.019;
    c.ellipse(u, v, r, r * rng.range(0.85, 1.1), les.kind === 'mass' ? 0.3 : 0.34, 0.2, aerated);
  }
}

function drawPleura(c: Canvas, a: Anatomy, f: StudyFindings, masks: Record<Side, LungMasks>): void {
  const pt = f.pleuralThickening;
  if (pt === undefined) return;
  const m = masks[pt.side];
  const rim = rimMask(c, m, 0.6, 1.05, pt.apical ? a.lungCentreV - 0.12 : 0.8);
  const cu = lungCentreU(a, pt.side);
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) {
      const i = y * c.width + x;
      const r = rim[i] as number;
      if (r <= 0) continue;
      // Lateral thickening hugs the chest wall: keep the lateral half of the rim only.
      const u = (x + 0.5) / c.width;
      if (!pt.apical && (u - cu) * lateral(pt.side) < 0.3 * a.lungHalfWidth) continue;
      c.data[i] = (c.data[i] as number) + 0.26 * r;
    }
  }
}

function drawDevices(c: Canvas, a: Anatomy, f: StudyFindings): void {
  const dev = f.devices;
  if (dev === undefined) return;
  const s = lateral(dev.side);
  for (const kind of dev.kinds) {
    if (kind === 'ett') {
      c.stroke([a.midline, 0, a.midline + 0.003, 0.26], 0.006, 0.45);
    } else if (kind === 'central-line') {
      c.stroke([a.midline + s * 0.3, 0.13, a.midline + s * 0.12, 0.17, a.midline + s * 0.03, 0.22, a.midline - 0.015, 0.36], 0.004, 0.5);
    } else if (kind === 'pacemaker') {
      c.ellipse(a.midline + 0.27, 0.19, 0.045, 0.03, 0.7, 0.15);
      c.stroke([a.midline + 0.25, 0.2, a.midline + 0.08, 0.25, a.midline - 0.01, 0.38, a.midline + 0.01, 0.56, a.midline + 0.06, 0.66], 0.004, 0.55);
    } else {
      const cu = lungCentreU(a, dev.side);
      c.stroke([cu + s * 1.05 * a.lungHalfWidth, 0.72, cu + s * 0.6 * a.lungHalfWidth, 0.58, cu + s * 0.1 * a.lungHalfWidth, 0.24], 0.007, 0.4);
    }
  }
}
