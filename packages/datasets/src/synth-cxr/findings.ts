/**
 * The hidden truth of one synthetic study: which abnormalities it has, where, and how severe.
 * The renderer draws exactly these and the report writer describes exactly these, which is what
 * makes the images, the reports and the labels agree.
 */
import type { SeededRandom } from '../random/seeded-random.js';

/** Patient side (not image side: the patient's right is on the image's left in a frontal view). */
export type Side = 'right' | 'left';
/** Side including both. */
export type Laterality = Side | 'bilateral';
/** Lung zone from apex to base. */
export type Zone = 'upper' | 'mid' | 'lower';
/** 1 mild/small, 2 moderate, 3 severe/large. */
export type Severity = 1 | 2 | 3;
/** How the report speaks of a finding: asserted, or hedged (the label becomes uncertain). */
export type Certainty = 'pos' | 'unc';

/** Support devices the renderer can draw. */
export type DeviceKind = 'ett' | 'central-line' | 'pacemaker' | 'chest-tube';

/** The abnormalities of one study. Absent keys are normal. */
export interface StudyFindings {
  cardiomegaly?: { severity: Severity; certainty: Certainty };
  mediastinum?: { severity: Severity; certainty: Certainty };
  lesion?: { kind: 'nodule' | 'mass'; side: Side; zone: Zone; certainty: Certainty; u: number; v: number };
  opacity?: { side: Side; zone: Zone; certainty: Certainty };
  edema?: { severity: Severity; certainty: Certainty };
  consolidation?: { side: Side; zone: Zone; certainty: Certainty; pneumonia: Certainty | null };
  atelectasis?: { side: Laterality; certainty: Certainty };
  pneumothorax?: { side: Side; severity: Severity; certainty: Certainty };
  effusion?: { side: Laterality; severity: Severity; certainty: Certainty };
  pleuralThickening?: { side: Side; apical: boolean };
  fracture?: { side: Side; rib: number };
  devices?: { kinds: DeviceKind[]; side: Side };
}

/**
 * Per-study prevalence of each abnormality. Chosen to resemble chest-radiograph report corpora:
 * about half the studies are normal, a few findings are common (cardiomegaly, opacity, effusion,
 * atelectasis, devices) and several are rare (pneumothorax, fracture, pleural thickening).
 */
export const SYNTH_PREVALENCE = Object.freeze({
  cardiomegaly: 0.13,
  mediastinum: 0.04,
  lesion: 0.05,
  opacity: 0.1,
  edema: 0.06,
  consolidation: 0.06,
  atelectasis: 0.1,
  pneumothorax: 0.025,
  effusion: 0.1,
  pleuralThickening: 0.025,
  fracture: 0.025,
  devices: 0.09,
});

/** Share of present findings that the report hedges (uncertain label). */
const HEDGE_RATE = 0.18;

const SIDES: readonly Side[] = ['right', 'left'];
const ZONES: readonly Zone[] = ['upper', 'mid', 'lower'];

function severity(rng: SeededRandom): Severity {
  const r = rng.next();
  return r < 0.55 ? 1 : r < 0.87 ? 2 : 3;
}

function certainty(rng: SeededRandom): Certainty {
  return rng.chance(HEDGE_RATE) ? 'unc' : 'pos';
}

/**
 * Sample the abnormalities of a study. With `prior`, the study is a follow-up of the same patient:
 * chronic findings (heart size, devices, pleural thickening, lesions) persist, acute ones may
 * resolve or appear.
 */
export function sampleFindings(rng: SeededRandom, prior?: StudyFindings): StudyFindings {
  const f: StudyFindings = {};
  const p = SYNTH_PREVALENCE;
  // Abnormalities cluster in sick patients, as in real data: a latent "sick" factor multiplies
  // every prevalence, so co-occurrence (effusion with cardiomegaly and edema) is common.
  const sick = rng.chance(0.45) ? 2.1 : 0.15;
  const has = (rate: number): boolean => rng.chance(Math.min(0.9, rate * sick));

  if (prior?.cardiomegaly !== undefined) f.cardiomegaly = { ...prior.cardiomegaly };
  else if (has(p.cardiomegaly)) f.cardiomegaly = { severity: severity(rng), certainty: certainty(rng) };
  if (prior?.mediastinum !== undefined) f.mediastinum = { ...prior.mediastinum };
  else if (has(p.mediastinum)) f.mediastinum = { severity: severity(rng), certainty: certainty(rng) };
  if (prior?.lesion !== undefined) f.lesion = { ...prior.lesion };
  else if (has(p.lesion)) {
    const side = rng.pick(SIDES);
    const zone = rng.pick(ZONES);
    f.lesion = { kind: rng.chance(0.7) ? 'nodule' : 'mass', side, zone, certainty: certainty(rng), u: rng.next(), v: rng.next() };
  }
  const keepAcute = (): boolean => rng.chance(0.5);
  if (prior?.opacity !== undefined && keepAcute()) f.opacity = { ...prior.opacity };
  else if (has(p.opacity)) f.opacity = { side: rng.pick(SIDES), zone: rng.pick(ZONES), certainty: certainty(rng) };
  if (prior?.edema !== undefined && keepAcute()) f.edema = { ...prior.edema };
  else if (has(p.edema)) f.edema = { severity: severity(rng), certainty: certainty(rng) };
  if (prior?.consolidation !== undefined && keepAcute()) f.consolidation = { ...prior.consolidation };
  else if (has(p.consolidation)) {
    const pneu = rng.next();
    f.consolidation = {
      side: rng.pick(SIDES),
      zone: rng.chance(0.6) ? 'lower' : rng.pick(ZONES),
      certainty: certainty(rng),
      pneumonia: pneu < 0.35 ? 'pos' : pneu < 0.6 ? 'unc' : null,
    };
    // A hedged consolidation cannot carry a confident pneumonia.
    if (f.consolidation.certainty === 'unc' && f.consolidation.pneumonia === 'pos') f.consolidation.pneumonia = 'unc';
  }
  if (prior?.atelectasis !== undefined && keepAcute()) f.atelectasis = { ...prior.atelectasis };
  else if (has(p.atelectasis)) {
    f.atelectasis = { side: rng.chance(0.3) ? 'bilateral' : rng.pick(SIDES), certainty: certainty(rng) };
  }
  if (prior?.pneumothorax !== undefined && keepAcute()) f.pneumothorax = { ...prior.pneumothorax };
  else if (has(p.pneumothorax)) f.pneumothorax = { side: rng.pick(SIDES), severity: severity(rng), certainty: certainty(rng) };
  if (prior?.effusion !== undefined && keepAcute()) f.effusion = { ...prior.effusion };
  else if (has(p.effusion)) {
    f.effusion = { side: rng.chance(0.35) ? 'bilateral' : rng.pick(SIDES), severity: severity(rng), certainty: certainty(rng) };
  }
  if (prior?.pleuralThickening !== undefined) f.pleuralThickening = { ...prior.pleuralThickening };
  else if (has(p.pleuralThickening)) f.pleuralThickening = { side: rng.pick(SIDES), apical: rng.chance(0.5) };
  if (prior?.fracture !== undefined && keepAcute()) f.fracture = { ...prior.fracture };
  else if (has(p.fracture)) f.fracture = { side: rng.pick(SIDES), rib: 4 + rng.int(4) };
  if (prior?.devices !== undefined && rng.chance(0.8)) f.devices = { kinds: [...prior.devices.kinds], side: prior.devices.side };
  else if (has(p.devices)) {
    const all: DeviceKind[] = ['ett', 'central-line', 'pacemaker', 'chest-tube'];
    const kinds = all.filter(() => rng.chance(0.35));
    if (kinds.length === 0) kinds.push(rng.pick(all));
    f.devices = { kinds, side: rng.pick(SIDES) };
  }
  return f;
}

/** Whether a study has any abnormality other than support devices (CheXpert's No Finding rule). */
export function hasFinding(f: StudyFindings): boolean {
  return Object.keys(f).some((k) => k !== 'devices');
}
