import { resolve } from 'node:path';
import { BACKBONE_IDS } from '@came-grad/backbones';
import type { BackendRequest, BackboneConfig } from '@came-grad/backbones';
import type { DatasetKind } from '@came-grad/datasets';
import type { ClipOption } from '@came-grad/optim-core/tfjs';
import { CliError } from '../cli-error';
import { numberOption, stringOption } from '../command';
import type { Command, ParsedValues } from '../command';
import { train } from '../train/train';
import { TRAIN_OPTIMIZER_IDS } from '../train/run-optimizer';
import type { ModelSize } from '../train/model-sizes';
import type { GradientMode, TrainOptions } from '../train/train-options';
import { ProgressBar } from '../train/progress-bar';
import { resolveInitSource } from '../train/init-from';
import { jsonOption, oneOf } from './option-parsers';

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a backbone with a multi-task optimizer (AdamW, warm-up + cosine), with atomic checkpoints and exact resume',
  usage: '--backbone ID --optimizer ID --data DIR --out DIR [options]',
  options: {
    backbone: { type: 'string', value: 'ID', description: `backbone id (${BACKBONE_IDS.join(', ')})`, required: true },
    optimizer: { type: 'string', value: 'ID', description: `multi-task method (${TRAIN_OPTIMIZER_IDS.join(', ')}); linear = the backbone's own weighted sum; uw, dwa, gradnorm, famo, rlw learn loss weights; rotograd needs a backbone with encodeShared`, default: 'came-grad' },
    'optimizer-options': { type: 'string', value: 'JSON', description: 'options of the method, e.g. \'{"rho":0.5,"kappa":1.5,"nu":0.2}\' (came-grad), \'{"lr":0.025}\' (famo), \'{"alpha":1.5,"normParameters":[…]}\' (gradnorm; default W = the shared parameters), \'{"burnIn":20,"rotationLr":0.001}\' (rotograd)' },
    data: { type: 'string', value: 'DIR', description: 'dataset in R2Gen layout (annotation.json + images/)', required: true },
    dataset: { type: 'string', value: 'KIND', description: 'synth-cxr, iu_xray or mimic_cxr', default: 'synth-cxr' },
    out: { type: 'string', value: 'DIR', description: 'run directory (run.json, checkpoint.bin, best.bin, log.jsonl)', required: true },
    steps: { type: 'string', value: 'N', description: 'optimizer steps (or use --epochs)' },
    epochs: { type: 'string', value: 'E', description: 'epochs over the train split (batches of --batch-size, last partial batch dropped)' },
    'batch-size': { type: 'string', value: 'B', description: 'studies per step', default: '8' },
    seed: { type: 'string', value: 'S', description: 'seed of initialisation, data order, augmentation and dropout', default: '0' },
    lr: { type: 'string', value: 'LR', description: 'peak learning rate', default: '5e-4' },
    'warmup-steps': { type: 'string', value: 'N', description: 'linear warm-up steps (default 5% of the steps)' },
    'weight-decay': { type: 'string', value: 'WD', description: 'AdamW decoupled weight decay', default: '5e-5' },
    size: { type: 'string', value: 'SIZE', description: 'model size preset: tiny, small or base', default: 'small' },
    'backbone-config': { type: 'string', value: 'JSON', description: 'backbone configuration overrides (JSON)' },
    'param-scope': { type: 'string', value: 'SCOPE', description: "parameters the method manipulates: all or shared", default: 'all' },
    'gradient-mode': { type: 'string', value: 'MODE', description: 'parameters, or representation (task gradients at the shared features, one encoder backward)', default: 'parameters' },
    diagnostics: { type: 'boolean', description: 'log gradient dynamics (per-task gradients) even for linear, which otherwise takes one backward pass' },
    'task-parallel': { type: 'boolean', description: 'differentiate every task but the first in a worker thread (a second core); same weights, bit for bit' },
    clip: { type: 'string', value: 'CLIP', description: 'none, value:V or norm:N, after combination (default: value:0.1 for linear, none otherwise)' },
    'checkpoint-every': { type: 'string', value: 'N', description: 'steps between checkpoints', default: '50' },
    'val-every': { type: 'string', value: 'N', description: 'steps between validations (CE-F1 model selection); 0 = at the end only', default: '0' },
    'val-studies': { type: 'string', value: 'N', description: 'validation studies used (0 = all)', default: '64' },
    'beam-size': { type: 'string', value: 'K', description: 'beam width for validation', default: '3' },
    backend: { type: 'string', value: 'NAME', description: 'auto, tensorflow-gpu, tensorflow, wasm or cpu', default: 'auto' },
    tasks: { type: 'string', value: 'NAME[,NAME…]', description: "train only these tasks of the backbone (e.g. cls to pretrain the visual extractor); the others get weight 0 at every step (default: every task)" },
    'init-from': { type: 'string', value: 'PATH', description: 'warm start: before step 0, load the weights with the same name and shape from another run (its checkpoint.bin) or a .bin file (e.g. best.bin); optimizer moments start fresh' },
    'init-prefix': { type: 'string', value: 'P[,P…]', description: 'with --init-from: load only parameters named P or P.* (e.g. visual for the r2gen visual extractor)' },
    resume: { type: 'boolean', description: 'continue the run in --out from its checkpoint' },
    json: { type: 'boolean', description: 'end with one JSON line: steps, losses, seconds, weightsDigest' },
  },
  epilog: 'Example:\n  came-grad synth --out data/synth --studies 400\n  came-grad train --backbone r2gen --optimizer came-grad --data data/synth --out runs/r2gen-came --steps 200\n' +
    'Warm start (pretrain the visual extractor on the classification task, then load it):\n' +
    '  came-grad train --backbone r2gen --tasks cls --data data/pre --out runs/pre --steps 200\n' +
    '  came-grad train --backbone r2gen --init-from runs/pre --init-prefix visual --data data/synth --out runs/warm --steps 200',
  async run(values, _positionals, io) {
    const options = await trainOptionsFrom(values);
    const bar = new ProgressBar(io, options.steps);
    const summary = await train(options, values.resume === true, {
      onNotice: (line) => io.stderr(`${line}\n`),
      onStep: (record) => {
        const losses = Object.entries(record.losses).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ');
        const extra = record.energyRatio === null ? '' : ` conflict ${record.conflict ? 'yes' : 'no'} energy ${record.energyRatio.toFixed(2)}`;
        bar.update(record.step + 1, `${losses}${extra}${record.skipped ? ` SKIPPED (${record.skipped})` : ''}`);
      },
      onValidation: (step, f1) => io.stderr(`validation at step ${step}: CE-F1 (macro, uncertain = positive) ${f1.toFixed(4)}\n`),
    });
    if (values.json === true) io.stdout(`${JSON.stringify(summary)}\n`);
    else io.stdout(`trained ${summary.steps} steps in ${summary.seconds.toFixed(1)} s on ${summary.backend}; weights ${summary.weightsDigest.slice(0, 16)}…; run in ${options.outDir}\n`);
    return 0;
  },
};

async function trainOptionsFrom(values: ParsedValues): Promise<TrainOptions> {
  const optimizer = stringOption(values, 'optimizer');
  if (!TRAIN_OPTIMIZER_IDS.includes(optimizer)) throw new CliError(`--optimizer should be one of ${TRAIN_OPTIMIZER_IDS.join(', ')}. Found ${JSON.stringify(optimizer)}.`);
  const backbone = stringOption(values, 'backbone');
  if (!BACKBONE_IDS.includes(backbone)) throw new CliError(`--backbone should be one of ${BACKBONE_IDS.join(', ')}. Found ${JSON.stringify(backbone)}.`);
  const dataset = oneOf<DatasetKind>(values, 'dataset', ['synth-cxr', 'iu_xray', 'mimic_cxr']);
  const dataDir = resolve(stringOption(values, 'data'));
  const batchSize = numberOption(values, 'batch-size', { integer: true, min: 1 }) as number;
  const stepsFlag = numberOption(values, 'steps', { integer: true, min: 1 });
  const epochs = numberOption(values, 'epochs', { integer: true, min: 1 });
  if ((stepsFlag === undefined) === (epochs === undefined)) throw new CliError('give exactly one of --steps and --epochs');
  const steps = stepsFlag ?? (await stepsPerEpoch(dataDir, batchSize)) * (epochs as number);
  const clipFlag = values.clip as string | undefined;
  const tasks = listOption(values, 'tasks');
  const initFlag = values['init-from'] as string | undefined;
  const prefixes = listOption(values, 'init-prefix');
  if (initFlag === undefined && prefixes !== undefined) throw new CliError('--init-prefix applies to --init-from; give --init-from DIR_OR_FILE or drop --init-prefix');
  return {
    backbone,
    size: oneOf<ModelSize>(values, 'size', ['tiny', 'small', 'base']),
    backboneOverrides: jsonOption(values, 'backbone-config') as BackboneConfig,
    dataDir,
    dataset,
    seed: numberOption(values, 'seed', { integer: true, min: 0 }) as number,
    outDir: resolve(stringOption(values, 'out')),
    optimizer,
    optimizerOptions: jsonOption(values, 'optimizer-options'),
    steps,
    batchSize,
    lr: numberOption(values, 'lr', { min: 0 }) as number,
    warmupSteps: numberOption(values, 'warmup-steps', { integer: true, min: 0 }) ?? Math.floor(steps * 0.05),
    weightDecay: numberOption(values, 'weight-decay', { min: 0 }) as number,
    paramScope: oneOf(values, 'param-scope', ['all', 'shared'] as const),
    gradientMode: oneOf<GradientMode>(values, 'gradient-mode', ['parameters', 'representation']),
    diagnostics: values.diagnostics === true,
    taskParallel: values['task-parallel'] === true,
    clip: parseClip(clipFlag ?? (optimizer === 'linear' ? 'value:0.1' : 'none')),
    checkpointEvery: numberOption(values, 'checkpoint-every', { integer: true, min: 1 }) as number,
    valEvery: numberOption(values, 'val-every', { integer: true, min: 0 }) as number,
    valStudies: numberOption(values, 'val-studies', { integer: true, min: 0 }) as number,
    beamSize: numberOption(values, 'beam-size', { integer: true, min: 1 }) as number,
    backend: oneOf<BackendRequest>(values, 'backend', ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
    ...(tasks === undefined ? {} : { tasks }),
    ...(initFlag === undefined ? {} : { initFrom: resolveInitSource(initFlag, prefixes ?? []) }),
  };
}

/** A comma-separated option as trimmed items (empty items kept, so the checks can name them). */
function listOption(values: ParsedValues, name: string): string[] | undefined {
  const text = values[name] as string | undefined;
  return text === undefined ? undefined : text.split(',').map((item) => item.trim());
}

/** `none`, `value:V` or `norm:N`. */
export function parseClip(text: string): ClipOption {
  if (text === 'none') return 'none';
  const match = /^(value|norm):([0-9.eE+-]+)$/.exec(text);
  const amount = match ? Number(match[2]) : Number.NaN;
  if (!match || !Number.isFinite(amount) || amount <= 0) throw new CliError(`--clip should be none, value:V or norm:N with V, N > 0. Found ${JSON.stringify(text)}.`);
  return match[1] === 'value' ? { value: amount } : { norm: amount };
}

async function stepsPerEpoch(dataDir: string, batchSize: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const path = resolve(dataDir, 'annotation.json');
  let annotation: { train?: unknown[] };
  try {
    annotation = JSON.parse(await readFile(path, 'utf8')) as { train?: unknown[] };
  } catch (error) {
    throw new CliError(`--data: ${path} could not be read as JSON (${(error as Error).message})`);
  }
  const n = Array.isArray(annotation.train) ? annotation.train.length : 0;
  if (n < batchSize) throw new CliError(`--epochs: the train split of ${path} has ${n} studies, fewer than --batch-size ${batchSize}`);
  return Math.floor(n / batchSize);
}
