import { describe, expect, it } from 'vitest';
import { labelReports } from './label-report';
import { OBSERVATIONS } from './observations';
import type { CheXpertLabels, Observation } from './observations';

function full(partial: Partial<Record<Observation, 1 | 0 | -1>>): CheXpertLabels {
  const out = {} as CheXpertLabels;
  for (const o of OBSERVATIONS) out[o] = partial[o] ?? null;
  return out;
}

// spec clinical-metrics.md §3.7, upstream fixture: sample_reports.csv → labeled_reports.csv.
const UPSTREAM: [string, Partial<Record<Observation, 1 | 0 | -1>>][] = [
  [
    'Heart size normal and lungs are clear. No edema or pneumonia. No effusion',
    { 'No Finding': 1, Cardiomegaly: 0, Edema: 0, Pneumonia: 0, 'Pleural Effusion': 0 },
  ],
  [
    '1. Left pleural effusion with adjacent atelectasis. Right effusion is also present.\n\n2. Cardiomegaly without overt edema.',
    { Cardiomegaly: 1, Edema: 0, Atelectasis: 1, 'Pleural Effusion': 1 },
  ],
  [
    'Minimal patchy airspace disease within the lingula, may reflect atelectasis or consolidation.',
    { 'Lung Opacity': 1, Consolidation: -1, Atelectasis: -1 },
  ],
  ['1. Stable mild cardiomegaly. 2. Hyperexpanded but clear lungs.', { Cardiomegaly: 1 }],
];

const NO_EVIDENCE = { Consolidation: 0, 'Pleural Effusion': 0, Pneumothorax: 0, 'No Finding': 1 } as const;

// spec §3.7, project fixtures (expected output of chexpert-style-v1).
const PROJECT: [string, Partial<Record<Observation, 1 | 0 | -1>>][] = [
  ['No acute cardiopulmonary process.', { 'No Finding': 1 }],
  ['There is no pneumothorax or pleural effusion.', { Pneumothorax: 0, 'Pleural Effusion': 0, 'No Finding': 1 }],
  ['No evidence of focal consolidation, pleural effusion, or pneumothorax.', NO_EVIDENCE],
  ['no focal consolidation pleural effusion or pneumothorax .', NO_EVIDENCE],
  ['Heart size is normal.', { Cardiomegaly: 0, 'No Finding': 1 }],
  ['The heart is not enlarged.', { Cardiomegaly: 0, 'No Finding': 1 }],
  ['Normal cardiomediastinal silhouette.', { 'Enlarged Cardiomediastinum': 0, 'No Finding': 1 }],
  ['Stable cardiomediastinal silhouette.', { 'Enlarged Cardiomediastinum': -1 }],
  ['Heart size is unchanged.', { Cardiomegaly: -1 }],
  ['No change in heart size.', { Cardiomegaly: -1 }],
  ['No change in the small left pleural effusion.', { 'Pleural Effusion': 1 }],
  ['Unchanged small left pleural effusion.', { 'Pleural Effusion': 1 }],
  ['No new consolidation.', { Consolidation: -1 }],
  ['Pneumonia cannot be excluded.', { Pneumonia: -1 }],
  ['Cannot exclude pneumonia.', { Pneumonia: -1 }],
  ['Possible small right pleural effusion.', { 'Pleural Effusion': -1 }],
  ['Left basilar opacity may represent atelectasis or pneumonia.', { 'Lung Opacity': 1, Atelectasis: -1, Pneumonia: -1 }],
  ['Right lower lobe opacity, likely atelectasis.', { 'Lung Opacity': 1, Atelectasis: 1 }],
  ['Pneumothorax has resolved.', { Pneumothorax: 0, 'No Finding': 1 }],
  ['Interval removal of the right chest tube.', { 'Support Devices': 0, 'No Finding': 1 }],
  ['Mild pulmonary vascular congestion.', { Edema: -1 }],
  ['No pulmonary vascular congestion.', { Edema: 0, 'No Finding': 1 }],
  ['Findings concerning for pneumonia.', { Pneumonia: -1 }],
  ['Mild cardiomegaly without pulmonary edema.', { Cardiomegaly: 1, Edema: 0 }],
  ['No pneumothorax but there is a small left effusion.', { Pneumothorax: 0, 'Pleural Effusion': 1 }],
  ['no pneumothorax and the heart is enlarged .', { Pneumothorax: 0, Cardiomegaly: 1 }],
  ['No effusion; mild cardiomegaly.', { 'Pleural Effusion': 0, Cardiomegaly: 1 }],
  ['Right internal jugular line terminates in the SVC.', { 'Support Devices': 1, 'No Finding': 1 }],
  ['Pacemaker leads over the heart.', { 'Support Devices': 1, 'No Finding': 1 }],
  ['The lungs are clear. No acute osseous abnormality.', { 'No Finding': 1 }],
  ['Degenerative changes of the thoracic spine.', {}],
  ['Calcified nodule in the left upper lobe.', {}],
  ['Heart size is at the upper limits of normal.', { Cardiomegaly: 0, 'No Finding': 1 }],
  ['Borderline heart size.', { Cardiomegaly: -1 }],
  ['Atelectasis versus consolidation at the left base.', { Atelectasis: -1, Consolidation: -1 }],
  ['Lungs are clear without evidence of pneumonia.', { Pneumonia: 0, 'No Finding': 1 }],
  ['Congestive heart failure.', { Edema: 1, Cardiomegaly: -1 }],
  ['Mild cardiomegaly with pulmonary edema, concerning for CHF.', { Cardiomegaly: 1, Edema: 1 }],
  ['No pleural effusion. Small left pleural effusion. Possible right pleural effusion.', { 'Pleural Effusion': -1 }],
];

describe('labelReports: spec §3.7 acceptance fixtures', () => {
  it.each(UPSTREAM)('upstream: %s', (text, expected) => {
    expect(labelReports([text])[0]).toEqual(full(expected));
  });
  it.each(PROJECT)('project: %s', (text, expected) => {
    expect(labelReports([text])[0]).toEqual(full(expected));
  });
});
