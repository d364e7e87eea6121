import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackbone, selectBackend } from '@came-grad/backbones';
import type { BackboneAdapter } from '@came-grad/backbones';
import { CliError } from '../cli-error';
import { resolveTaskSelection, taskWeightsAt } from './task-selection';

const TINY = { dModel: 32, heads: 2, dFF: 64, encoderLayers: 1, decoderLayers: 1, imageSize: 32, channels: 1, views: 2, maxSeqLength: 16, seed: 0 };
const VOCAB = ['<pad>', '<unk>', 'heart', 'lungs', 'normal', 'effusion', '.'];

let wcl: BackboneAdapter;

beforeAll(async () => {
  await selectBackend('cpu');
  // WCL gates its contrastive task by epoch (contraEpoch): a schedule the selection must keep.
  wcl = createBackbone('wcl', { ...TINY, vocab: VOCAB, contraEpoch: 1, clsHead: false });
});

afterAll(() => wcl.dispose());

describe('task selection (--tasks)', () => {
  it('keeps the backbone order without repeats, and names the tasks when a name is unknown or missing', () => {
    expect(resolveTaskSelection(wcl, ['contrast', 'lm', 'contrast'])).toEqual(['lm', 'contrast']);
    expect(() => resolveTaskSelection(wcl, ['lm', 'cls'])).toThrow(new CliError('`--tasks` should list tasks of wcl (lm, contrast). Found "cls".'));
    expect(() => resolveTaskSelection(wcl, [''])).toThrow(/Found ""\./);
    expect(() => resolveTaskSelection(wcl, [])).toThrow(/Found an empty list\./);
  });

  it('gives unselected tasks ω = 0 at every step and selected ones their scheduled weight', () => {
    const [lm, contrast] = wcl.tasks.map((t) => t.weight) as [number, number];
    expect(taskWeightsAt(wcl, undefined, 0, 0)).toEqual([lm, 0]);
    expect(taskWeightsAt(wcl, undefined, 0, 1)).toEqual([lm, contrast]);
    expect(taskWeightsAt(wcl, ['contrast'], 0, 0)).toEqual([0, 0]);
    expect(taskWeightsAt(wcl, ['contrast'], 5, 1)).toEqual([0, contrast]);
    expect(taskWeightsAt(wcl, ['lm'], 5, 1)).toEqual([lm, 0]);
    expect(contrast).toBeGreaterThan(0);
  });
});
