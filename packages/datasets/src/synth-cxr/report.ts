/**
 * Writes an IU X-Ray-style findings paragraph for a synthetic study, and the 14 CheXpert labels
 * that the paragraph states. Each sentence template declares the labels it expresses, and the
 * templates are worded so that a CheXpert-style labeler reads exactly those labels: negation cues
 * sit right before (or just after) the finding, hedges use the labeler's uncertainty cues, one
 * abnormal finding per sentence, and no phrase from the labeler's "other findings" list appears
 * outside the finding it belongs to.
 */
import type { SeededRandom } from '../random/seeded-random.js';
import type { Laterality, Severity, Side, StudyFindings, Zone } from './findings.js';
import { hasFinding } from './findings.js';
import { SYNTH_OBSERVATION_KEYS } from './observation-keys.js';
import type { SynthLabel, SynthObservationKey } from './observation-keys.js';

type Effects = Partial<Record<SynthObservationKey, SynthLabel>>;

const MILD = ['mild', 'moderate', 'severe'] as const;
const ADV = ['mildly', 'moderately', 'markedly'] as const;
const SIZE = ['small', 'moderate', 'large'] as const;
const ORDINAL = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'] as const;

const sev = (words: readonly [string, string, string], s: Severity): string => words[s - 1] as string;
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function lobe(side: Side, zone: Zone): string {
  if (zone === 'upper') return `${side} upper lobe`;
  if (zone === 'lower') return `${side} lower lobe`;
  return side === 'right' ? 'right middle lobe' : 'lingula';
}

function lungZone(side: Side, zone: Zone): string {
  return zone === 'upper' ? `${side} upper lung` : zone === 'mid' ? `${side} mid lung` : `${side} lung base`;
}

function basilar(side: Laterality): string {
  return side === 'bilateral' ? 'bibasilar' : `${side} basilar`;
}

/** A report and the labels it states. */
export interface WrittenReport {
  readonly report: string;
  readonly labels: Record<SynthObservationKey, SynthLabel>;
}

/**
 * Writes the report of a study. `prior` (the same patient's previous study) adds comparison
 * sentences: stable, new and resolved findings.
 */
export function writeReport(f: StudyFindings, rng: SeededRandom, prior?: StudyFindings): WrittenReport {
  const sentences: string[] = [];
  const effects: Effects = {};
  const say = (text: string, fx: Effects): void => {
    sentences.push(cap(text));
    for (const [k, v] of Object.entries(fx) as [SynthObservationKey, SynthLabel][]) {
      const old = effects[k];
      // Templates never state two different labels for one observation in one report.
      if (old !== undefined && old !== v) throw new Error(`synth-cxr report states ${k} as ${old} and ${v}`);
      effects[k] = v;
    }
  };
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs);

  if (prior !== undefined) {
    say(pick(['Comparison is made to the prior study.', 'Compared with the previous examination.', 'Comparison with the prior radiograph.']), {});
  }

  // Heart and mediastinum.
  const cm = f.cardiomegaly;
  const ms = f.mediastinum;
  if (cm === undefined && ms === undefined && rng.chance(0.35)) {
    say(pick(['The heart and mediastinum are normal.', 'The heart and mediastinum are unremarkable.']), { cardiomegaly: 0, enlarged_cardiomediastinum: 0 });
  } else {
    if (cm !== undefined) {
      if (cm.certainty === 'unc') say(pick(['Borderline heart size.', 'Borderline cardiomegaly.', `Possible ${sev(MILD, 1)} cardiomegaly.`, 'Mild cardiomegaly is possible.']), { cardiomegaly: -1 });
      else if (prior?.cardiomegaly !== undefined && rng.chance(0.6)) say(`${pick(['stable', 'unchanged'])} ${sev(MILD, cm.severity)} cardiomegaly.`, { cardiomegaly: 1 });
      else {
        say(
          pick([
            `the heart is ${sev(ADV, cm.severity)} enlarged.`,
            `${sev(MILD, cm.severity)} cardiomegaly.`,
            `there is ${sev(['mild', 'moderate', 'marked'], cm.severity)} cardiomegaly.`,
            `the cardiac silhouette is ${sev(['mildly', 'moderately', 'severely'], cm.severity)} enlarged.`,
          ]),
          { cardiomegaly: 1 },
        );
      }
    } else if (rng.chance(0.85)) {
      say(pick(['The heart is normal in size.', 'Heart size is normal.', 'Normal heart size.', 'The heart size is within normal limits.', 'Heart size is within normal limits.']), { cardiomegaly: 0 });
    }
    if (ms !== undefined) {
      if (ms.certainty === 'unc') say(pick(['Possible mild widening of the mediastinum.', 'Widening of the mediastinum is suspected.']), { enlarged_cardiomediastinum: -1 });
      else {
        say(
          pick([
            'the mediastinum is widened.',
            'widened mediastinal silhouette.',
            'the cardiomediastinal silhouette is enlarged.',
            `there is ${sev(['mild', 'moderate', 'marked'], ms.severity)} widening of the mediastinum.`,
          ]),
          { enlarged_cardiomediastinum: 1 },
        );
      }
    } else if (rng.chance(0.6)) {
      say(pick(['The mediastinum is unremarkable.', 'Normal cardiomediastinal silhouette.', 'Mediastinal contours are normal.', 'The cardiomediastinal silhouette is within normal limits.']), { enlarged_cardiomediastinum: 0 });
    }
  }

  writeLungs(f, rng, prior, say);
  writePleura(f, rng, prior, say);
  writeDevicesAndBones(f, rng, prior, say);

  const labels = {} as Record<SynthObservationKey, SynthLabel>;
  for (const key of SYNTH_OBSERVATION_KEYS) labels[key] = effects[key] ?? null;
  // CheXpert's No Finding: positive exactly when no observation other than support devices is
  // positive or uncertain (mentions of "other findings" are never written).
  const found = SYNTH_OBSERVATION_KEYS.some((k) => k !== 'no_finding' && k !== 'support_devices' && (labels[k] === 1 || labels[k] === -1));
  labels.no_finding = found ? null : 1;
  if (!found && hasFinding(f)) {
    throw new Error('synth-cxr: a study with findings produced a report without any');
  }
  return { report: sentences.join(' '), labels };
}

type Say = (text: string, fx: Effects) => void;

function writeLungs(f: StudyFindings, rng: SeededRandom, prior: StudyFindings | undefined, say: Say): void {
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs);
  const parenchymal = f.consolidation ?? f.opacity ?? f.edema ?? f.atelectasis ?? f.lesion;
  if (parenchymal === undefined && rng.chance(0.8)) {
    say(pick(['The lungs are clear.', 'Lungs are clear bilaterally.', 'The lungs are well expanded and clear.', 'Both lungs are clear.']), {});
  }
  const con = f.consolidation;
  if (con !== undefined) {
    const where = lobe(con.side, con.zone);
    const pneu = con.pneumonia === 'pos' ? pick([' consistent with pneumonia', ', compatible with pneumonia'])
      : con.pneumonia === 'unc' && con.certainty === 'pos' ? pick([' concerning for pneumonia', ', which may represent pneumonia']) : '';
    const fx: Effects = { consolidation: con.certainty === 'pos' ? 1 : -1 };
    if (pneu !== '') fx.pneumonia = con.pneumonia === 'pos' ? 1 : -1;
    if (con.certainty === 'unc') say(pick([`possible ${where} consolidation.`, `${where} consolidation cannot be excluded.`]), fx);
    else if (prior !== undefined && prior.consolidation === undefined) say(`interval development of ${where} consolidation${pneu}.`, fx);
    else say(pick([`${pick(['focal', 'dense', 'patchy'])} consolidation in the ${where}${pneu}.`, `there is ${where} consolidation${pneu}.`]), fx);
    if (con.certainty === 'unc' && con.pneumonia === 'unc') say(pick(['Pneumonia cannot be excluded.', 'Findings may represent early pneumonia.']), { pneumonia: -1 });
  } else if (prior?.consolidation !== undefined) {
    say(`${lobe(prior.consolidation.side, prior.consolidation.zone)} consolidation has cleared.`, { consolidation: 0 });
  } else if (rng.chance(0.6)) {
    const r = rng.next();
    if (r < 0.15) say('No focal consolidation to suggest pneumonia.', { consolidation: 0, pneumonia: 0 });
    else if (r < 0.3) say('No evidence of pneumonia.', { pneumonia: 0 });
    else say(pick(['No focal consolidation.', 'There is no focal consolidation.']), { consolidation: 0 });
  }
  const op = f.opacity;
  if (op !== undefined) {
    const where = lungZone(op.side, op.zone);
    if (op.certainty === 'unc') say(pick([`possible patchy opacity in the ${where}.`, `questionable opacity in the ${where}.`]), { lung_opacity: -1 });
    else say(pick([`patchy airspace opacity in the ${where}.`, `there is ${pick(['hazy', 'patchy'])} opacity in the ${where}.`, `increased opacity in the ${where}.`]), { lung_opacity: 1 });
  } else if (f.consolidation === undefined && rng.chance(0.35)) {
    say(pick(['No focal airspace opacity.', 'There is no focal airspace disease.']), { lung_opacity: 0 });
  }
  const ed = f.edema;
  if (ed !== undefined) {
    if (ed.certainty === 'unc') say(pick(['Mild pulmonary vascular congestion.', 'Possible mild interstitial edema.']), { edema: -1 });
    else {
      say(
        pick([
          `${sev(MILD, ed.severity)} pulmonary edema.`,
          `there is ${sev(MILD, ed.severity)} interstitial edema.`,
          `findings are consistent with ${sev(MILD, ed.severity)} pulmonary edema.`,
          `${sev(MILD, ed.severity)} bilateral perihilar edema.`,
        ]),
        { edema: 1 },
      );
    }
  } else if (rng.chance(0.3)) {
    say(pick(['No pulmonary edema.', 'There is no edema.', 'No evidence of pulmonary edema.']), { edema: 0 });
  }
  const at = f.atelectasis;
  if (at !== undefined) {
    if (at.certainty === 'unc') say(pick([`possible ${basilar(at.side)} atelectasis.`, `${basilar(at.side)} atelectasis is suspected.`]), { atelectasis: -1 });
    else say(pick([`${basilar(at.side)} ${pick(['linear', 'subsegmental'])} atelectasis.`, `there is mild ${basilar(at.side)} atelectasis.`, `band-like atelectasis at the ${at.side === 'bilateral' ? 'lung bases' : `${at.side} lung base`}.`]), { atelectasis: 1 });
  }
  const les = f.lesion;
  if (les !== undefined) {
    const where = lobe(les.side, les.zone);
    if (les.certainty === 'unc') say(pick([`possible small ${les.kind} in the ${lungZone(les.side, les.zone)}.`, `questionable ${les.kind} in the ${where}.`]), { lung_lesion: -1 });
    else if (prior?.lesion !== undefined) say(`unchanged ${where} ${les.kind}.`, { lung_lesion: 1 });
    else if (les.kind === 'nodule') say(pick([`a small nodule is seen in the ${where}.`, `there is a ${where} pulmonary nodule.`, `${where} nodule.`]), { lung_lesion: 1 });
    else say(pick([`there is a large mass in the ${where}.`, `${where} mass.`]), { lung_lesion: 1 });
  } else if (rng.chance(0.12)) {
    say('No suspicious pulmonary nodules or masses.', { lung_lesion: 0 });
  }
}

function writePleura(f: StudyFindings, rng: SeededRandom, prior: StudyFindings | undefined, say: Say): void {
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs);
  const px = f.pneumothorax;
  const ef = f.effusion;
  if (px === undefined && ef === undefined && prior?.pneumothorax === undefined && prior?.effusion === undefined) {
    if (rng.chance(0.85)) {
      say(pick(['No pneumothorax or pleural effusion.', 'There is no pleural effusion or pneumothorax.', 'No pleural effusion or pneumothorax is seen.']), { pneumothorax: 0, pleural_effusion: 0 });
    }
  } else {
    if (px !== undefined) {
      if (px.certainty === 'unc') say(pick([`possible small ${px.side} apical pneumothorax.`, `a tiny ${px.side} apical pneumothorax cannot be excluded.`]), { pneumothorax: -1 });
      else say(pick([`${sev(SIZE, px.severity)} ${px.side} pneumothorax.`, `there is a ${sev(SIZE, px.severity)} ${px.side} apical pneumothorax.`]), { pneumothorax: 1 });
    } else if (prior?.pneumothorax !== undefined) {
      say(`the previously seen ${prior.pneumothorax.side} pneumothorax has resolved.`, { pneumothorax: 0 });
    } else if (rng.chance(0.8)) say('No pneumothorax.', { pneumothorax: 0 });
    if (ef !== undefined) {
      const side = ef.side;
      const plural = side === 'bilateral' ? 'pleural effusions' : 'pleural effusion';
      if (ef.certainty === 'unc') say(pick([`possible small ${side} ${plural}.`, `trace ${side} ${plural} ${side === 'bilateral' ? 'are' : 'is'} possible.`]), { pleural_effusion: -1 });
      else if (prior?.effusion !== undefined) say(`unchanged ${sev(SIZE, ef.severity)} ${side} ${plural}.`, { pleural_effusion: 1 });
      else if (prior !== undefined) say(`new ${sev(SIZE, ef.severity)} ${side} ${plural}.`, { pleural_effusion: 1 });
      else if (side !== 'bilateral' && rng.chance(0.25)) say(`blunting of the ${side} costophrenic angle consistent with a ${sev(SIZE, ef.severity)} pleural effusion.`, { pleural_effusion: 1 });
      else say(pick([`${sev(SIZE, ef.severity)} ${side} ${plural}.`, `there ${side === 'bilateral' ? 'are' : 'is a'} ${sev(SIZE, ef.severity)} ${side} ${plural}.`]), { pleural_effusion: 1 });
    } else if (prior?.effusion !== undefined) {
      say(`interval resolution of the ${prior.effusion.side} pleural effusion.`, { pleural_effusion: 0 });
    } else if (rng.chance(0.8)) say('No pleural effusion.', { pleural_effusion: 0 });
  }
  const pt = f.pleuralThickening;
  if (pt !== undefined) {
    say(pt.apical ? `${pt.side} apical pleural thickening.` : pick([`mild ${pt.side} lateral pleural thickening.`, `there is ${pt.side} pleural thickening.`]), { pleural_other: 1 });
  }
}

function writeDevicesAndBones(f: StudyFindings, rng: SeededRandom, prior: StudyFindings | undefined, say: Say): void {
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs);
  const dev = f.devices;
  if (dev !== undefined) {
    for (const kind of dev.kinds) {
      if (kind === 'ett') say(pick([`endotracheal tube terminates ${3 + rng.int(3)} cm above the carina.`, 'an endotracheal tube is in place.']), { support_devices: 1 });
      else if (kind === 'central-line') say(pick([`${dev.side} internal jugular central venous catheter with tip in the SVC.`, `${dev.side} subclavian line terminates in the superior vena cava.`]), { support_devices: 1 });
      else if (kind === 'pacemaker') say(pick(['left chest wall pacemaker with leads in the right atrium and right ventricle.', 'a dual-lead pacemaker is present.']), { support_devices: 1 });
      else say(pick([`${dev.side} chest tube in place.`, `a ${dev.side}-sided chest tube is present.`]), { support_devices: 1 });
    }
  } else if (prior?.devices?.kinds.includes('chest-tube') === true) {
    say(`interval removal of the ${prior.devices.side} chest tube.`, { support_devices: 0 });
  }
  const fr = f.fracture;
  if (fr !== undefined) {
    const rib = ORDINAL[fr.rib - 1] as string;
    say(pick([`there is an acute fracture of the ${fr.side} ${rib} rib.`, `displaced fracture of the ${fr.side} ${rib} posterior rib.`, `a ${fr.side} ${rib} rib fracture is noted.`]), { fracture: 1 });
  } else if (rng.chance(0.5)) {
    if (rng.chance(0.4)) say(pick(['No displaced rib fracture.', 'No acute fracture.']), { fracture: 0 });
    else say(pick(['No acute bony abnormality.', 'The osseous structures are intact.', 'Visualized osseous structures are unremarkable.']), {});
  }
}
