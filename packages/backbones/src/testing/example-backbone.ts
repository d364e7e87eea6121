import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@came-grad/optim-core';
import { beamSearch, type BeamScorer } from '../beam/beam-search';
import { languageModelLoss } from '../blocks/language-model-loss';
import { Linear } from '../blocks/linear';
import { multiLabelBceLoss } from '../blocks/multi-label-bce';
import { ResNetExtractor } from '../blocks/resnet-extractor';
import type { BackboneAdapter, BackboneConfig, GenerateOptions, InferBatch, StepContext, TaskSpec, TrainBatch } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import { WordTokenizer } from '../tokenizer/word-tokenizer';

/** Configuration of the example adapter. */
export interface ExampleConfig {
  readonly vocab: readonly string[];
  readonly seed: number;
  readonly imageSize: number;
  readonly d: number;
  /** Default weight of `cls`, reached linearly over `clsWarmupSteps` (a `weightAt` schedule). */
  readonly clsWeight: number;
  readonly clsWarmupSteps: number;
  /** Decay of the EMA copy of the cls head that `commitState` updates. */
  readonly emaDecay: number;
}

/** Defaults of {@link createExampleBackbone}; `vocab` has none. */
export const EXAMPLE_DEFAULTS: Readonly<Omit<ExampleConfig, 'vocab'>> = Object.freeze({
  seed: 0, imageSize: 16, d: 16, clsWeight: 0.5, clsWarmupSteps: 10, emaDecay: 0.9,
});

/**
 * The example adapter of `CONTRIBUTING.md`: the smallest backbone that exercises every part of
 * the contract. A two-stage CNN (shared) feeds a bigram decoder `logit(tanh(embed[y_{t−1}] +
 * ctx(pooled)))` (task `lm`) and a 14-way BCE head (task `cls`, weight ramped by `weightAt`). An
 * EMA copy of the head is frozen state, updated only by `commitState` and read by `generate`.
 * It is a teaching aid, not a radiology model.
 */
export function createExampleBackbone(partial: BackboneConfig): BackboneAdapter {
  const config = { ...EXAMPLE_DEFAULTS, ...partial } as unknown as ExampleConfig;
  if (!Array.isArray(config.vocab)) throw new InvalidOptionError('vocab', 'an array of words', config.vocab);
  const tokenizer = new WordTokenizer(config.vocab);
  const store = new ParameterStore(config.seed);
  const visual = new ResNetExtractor(store, 'visual', { inChannels: 1, channels: [4, 8] });
  const embed = store.add('embed', [tokenizer.vocabSize, config.d], { kind: 'xavierUniform' });
  const context = new Linear(store, 'context', visual.outDim, config.d);
  const logit = new Linear(store, 'logit', config.d, tokenizer.vocabSize);
  const head = new Linear(store, 'clsHead', visual.outDim, 14);
  const emaWeight = store.add('ema.weight', [visual.outDim, 14], { kind: 'zeros' }, false);
  const emaBias = store.add('ema.bias', [14], { kind: 'zeros' }, false);

  const bigramLogits = (prev: tf.Tensor2D, ctx: tf.Tensor2D): tf.Tensor3D => {
    const [b, t] = prev.shape;
    const rows = tf.reshape(tf.gather(embed, tf.reshape(prev, [-1])), [b, t, config.d]);
    return logit.apply(tf.tanh(tf.add(rows, tf.expandDims(ctx, 1))) as tf.Tensor3D);
  };
  const tasks: TaskSpec[] = [
    { name: 'lm', kind: 'generation', weight: 1 },
    { name: 'cls', kind: 'classification', weight: config.clsWeight, weightAt: (step) => config.clsWeight * Math.min(1, (step + 1) / config.clsWarmupSteps) },
  ];
  const sharedPrefixes = ['visual'];
  return {
    specificationVersion: 'v1',
    name: 'example',
    tasks,
    sharedParameters: store.select(sharedPrefixes),
    taskParameters: { lm: store.select(['embed', 'context', 'logit']), cls: store.select(['clsHead']) },
    frozenParameters: [emaWeight, emaBias],
    parameters: store.entries(),
    inputSpec: { views: 1, imageSize: config.imageSize, channels: 1, maxSeqLength: 8, aux: ['labels14'], inferAux: [] },
    tokenizer,
    forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]) {
      const wanted = new Set(only ?? tasks.map((t) => t.name));
      return {
        losses: tf.tidy(() => {
          const { pooled } = visual.apply(batch.images, { training: ctx.training, seed: ctx.seed });
          const losses: Record<string, tf.Scalar> = {};
          if (wanted.has('lm')) {
            const inputs = tf.slice(batch.reportIds, [0, 0], [-1, batch.reportIds.shape[1] - 1]) as tf.Tensor2D;
            losses['lm'] = languageModelLoss(bigramLogits(inputs, context.apply(pooled)), batch.reportIds, batch.reportMask);
          }
          if (wanted.has('cls')) {
            const labels = batch.aux?.labels14;
            if (labels === undefined) throw new InvalidOptionError('batch.aux.labels14', 'a [B, 14] tensor', undefined);
            losses['cls'] = multiLabelBceLoss(head.apply(pooled), labels);
          }
          return losses;
        }),
      };
    },
    commitState() {
      tf.tidy(() => {
        const keep = config.emaDecay;
        emaWeight.assign(tf.add(tf.mul(emaWeight, keep), tf.mul(head.weight, 1 - keep)));
        emaBias.assign(tf.add(tf.mul(emaBias, keep), tf.mul(head.bias as tf.Variable, 1 - keep)));
      });
    },
    generate(batch: InferBatch, opts: GenerateOptions) {
      const pooled = tf.tidy(() => visual.apply(batch.images, INFERENCE_SCOPE).pooled);
      const scorer: BeamScorer<tf.Tensor2D> = {
        logProbs: (state, prefixes) => tf.tidy(() => {
          const last = Int32Array.from(prefixes, (p) => p[p.length - 1] ?? tokenizer.bos);
          const logits = tf.squeeze(bigramLogits(tf.tensor2d(last, [last.length, 1], 'int32'), state), [1]);
          return { values: tf.logSoftmax(logits).dataSync() as Float32Array, vocabSize: tokenizer.vocabSize };
        }),
        reorder: (state, rows) => {
          const next = tf.tidy(() => tf.gather(state, Int32Array.from(rows)));
          state.dispose();
          return next;
        },
        dispose: (state) => state.dispose(),
      };
      const hyps = beamSearch(scorer, tf.tidy(() => context.apply(pooled)), { batchSize: pooled.shape[0], ...opts, eos: tokenizer.eos });
      const clsProbs = tf.tidy(() => tf.sigmoid(tf.add(tf.matMul(pooled, emaWeight), emaBias)) as tf.Tensor2D);
      pooled.dispose();
      return { texts: hyps.map((h) => tokenizer.decode(h.tokens)), clsProbs };
    },
    getConfig: () => JSON.parse(JSON.stringify(config)) as BackboneConfig,
    dispose: () => store.dispose(),
  };
}
