import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/seeded-random.js';
import { sampleAnatomy } from './anatomy.js';
import type { Canvas } from './canvas.js';
import type { StudyFindings } from './findings.js';
import { renderFrontal } from './render-frontal.js';
import { renderLateral } from './render-lateral.js';

const SIZE = 64;
const anatomy = sampleAnatomy(createRandom(5));

function frontal(f: StudyFindings): Canvas {
  return renderFrontal(SIZE, anatomy, f, createRandom(99));
}

/** Sum of |difference| against the normal study, over the image's left half (patient's right) and right half. */
function diffByHalf(f: StudyFindings, render = frontal): { right: number; left: number; signed: number } {
  const a = render({}).data;
  const b = render(f).data;
  let right = 0;
  let left = 0;
  let signed = 0;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const d = (b[y * SIZE + x] as number) - (a[y * SIZE + x] as number);
      signed += d;
      if (x < SIZE / 2) right += Math.abs(d);
      else left += Math.abs(d);
    }
  }
  return { right, left, signed };
}

const lateralised: [string, (side: 'right' | 'left') => StudyFindings][] = [
  ['lung lesion', (side) => ({ lesion: { kind: 'mass', side, zone: 'upper', certainty: 'pos', u: 0.5, v: 0.5 } })],
  ['lung opacity', (side) => ({ opacity: { side, zone: 'mid', certainty: 'pos' } })],
  ['consolidation', (side) => ({ consolidation: { side, zone: 'lower', certainty: 'pos', pneumonia: 'pos' } })],
  ['atelectasis', (side) => ({ atelectasis: { side, certainty: 'pos' } })],
  ['pneumothorax', (side) => ({ pneumothorax: { side, severity: 2, certainty: 'pos' } })],
  ['pleural effusion', (side) => ({ effusion: { side, severity: 2, certainty: 'pos' } })],
  ['pleural thickening', (side) => ({ pleuralThickening: { side, apical: false } })],
  ['fracture', (side) => ({ fracture: { side, rib: 5 } })],
  ['chest tube', (side) => ({ devices: { kinds: ['chest-tube'], side } })],
];

describe('renderFrontal', () => {
  it.each(lateralised)('draws %s on the named side (patient right = image left)', (_name, make) => {
    const r = diffByHalf(make('right'));
    const l = diffByHalf(make('left'));
    expect(r.right).toBeGreaterThan(0.5);
    expect(r.right).toBeGreaterThan(4 * r.left);
    expect(l.left).toBeGreaterThan(0.5);
    expect(l.left).toBeGreaterThan(4 * l.right);
  });

  it('darkens the hemithorax with a pneumothorax and brightens it with fluid', () => {
    expect(diffByHalf({ pneumothorax: { side: 'right', severity: 3, certainty: 'pos' } }).signed).toBeLessThan(-1);
    expect(diffByHalf({ effusion: { side: 'left', severity: 2, certainty: 'pos' } }).signed).toBeGreaterThan(1);
  });

  it('draws severity: larger effusion, heart and mediastinum change more pixels', () => {
    const total = (f: StudyFindings): number => {
      const d = diffByHalf(f);
      return d.left + d.right;
    };
    expect(total({ effusion: { side: 'right', severity: 3, certainty: 'pos' } })).toBeGreaterThan(2 * total({ effusion: { side: 'right', severity: 1, certainty: 'pos' } }));
    expect(total({ cardiomegaly: { severity: 3, certainty: 'pos' } })).toBeGreaterThan(1.5 * total({ cardiomegaly: { severity: 1, certainty: 'pos' } }));
    expect(total({ mediastinum: { severity: 3, certainty: 'pos' } })).toBeGreaterThan(total({ mediastinum: { severity: 1, certainty: 'pos' } }));
  });

  it('draws bilateral findings (edema, cardiomegaly) on both sides, the heart mostly to the patient left', () => {
    const e = diffByHalf({ edema: { severity: 2, certainty: 'pos' } });
    expect(e.right).toBeGreaterThan(1);
    expect(e.left).toBeGreaterThan(1);
    expect(Math.max(e.right, e.left) / Math.min(e.right, e.left)).toBeLessThan(2);
    const c = diffByHalf({ cardiomegaly: { severity: 3, certainty: 'pos' } });
    expect(c.left).toBeGreaterThan(c.right);
    expect(c.signed).toBeGreaterThan(1);
  });

  it('draws support devices as bright, thin structures', () => {
    const d = diffByHalf({ devices: { kinds: ['ett', 'pacemaker', 'central-line'], side: 'right' } });
    expect(d.signed).toBeGreaterThan(1);
  });
});

describe('renderLateral', () => {
  it('shows effusion, cardiomegaly, consolidation and devices on the lateral view too', () => {
    const lateral = (f: StudyFindings): Canvas => renderLateral(SIZE, anatomy, f, createRandom(99));
    const total = (f: StudyFindings): number => {
      const d = diffByHalf(f, lateral);
      return d.left + d.right;
    };
    expect(total({ effusion: { side: 'right', severity: 2, certainty: 'pos' } })).toBeGreaterThan(1);
    expect(total({ cardiomegaly: { severity: 2, certainty: 'pos' } })).toBeGreaterThan(1);
    expect(total({ consolidation: { side: 'right', zone: 'lower', certainty: 'pos', pneumonia: null } })).toBeGreaterThan(1);
    expect(total({ devices: { kinds: ['pacemaker'], side: 'left' } })).toBeGreaterThan(1);
  });
});
