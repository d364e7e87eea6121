import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, test } from 'vitest';
import { AdamW } from './adamw';
import { MultiTaskOptimizer } from './multi-task-optimizer';
import { registerCameOptimizers } from './register';
import { createTwoTaskModel } from './two-task-model.fixture';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe('exact resume', () => {
  for (const [label, makeInner] of [
    ['adam', () => tf.train.adam(0.05, 0.9, 0.999, 1e-7)],
    ['sgd with momentum', () => tf.train.momentum(0.1, 0.9)],
    ['rmsprop', () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7, true)],
    ['adamw', () => new AdamW({ learningRate: 0.05, weightDecay: 0.01 })],
  ] as const) {
    test(`${label}: N steps, save, M steps == restore into a fresh optimizer, M steps (bitwise, cpu)`, async () => {
      registerCameOptimizers(); // AdamW's class name must resolve in fromConfig below.
      const model = createTwoTaskModel(`resume-${label}`, 53);
      const options = { variables: model.variables, method: { id: 'came-grad', options: { weights: [1, 4] } } } as const;
      const opt = new MultiTaskOptimizer({ inner: makeInner(), ...options });
      // 11 steps: β1^12 by Adam's running float32 product differs from pow(β1, 12) in the last bit,
      // so restoring through Adam's own setWeights alone would not be exact here.
      for (let s = 0; s < 11; s++) opt.step(model.losses);
      const saved = await opt.getWeights();
      const savedVars = model.variables.map((v) => tf.clone(v));
      for (let s = 0; s < 6; s++) opt.step(model.losses);
      const continued = model.snapshot();

      model.variables.forEach((v, i) => v.assign(savedVars[i] as tf.Tensor));
      const fresh = MultiTaskOptimizer.fromConfig(MultiTaskOptimizer, opt.getConfig()) as MultiTaskOptimizer;
      await fresh.setWeights(saved);
      expect(fresh.stepsApplied).toBe(11);
      for (let s = 0; s < 6; s++) fresh.step(model.losses);
      expect(model.snapshot()).toEqual(continued);
      expect(fresh.stepsApplied).toBe(17);
      tf.dispose([...savedVars, ...saved.map((w) => w.tensor)]);
      opt.dispose();
      fresh.dispose();
      model.dispose();
    });
  }

  test('the snapshot is a copy: later steps do not change it', async () => {
    const model = createTwoTaskModel('resume-copy', 59);
    const opt = new MultiTaskOptimizer({ inner: tf.train.adam(0.05), variables: model.variables });
    opt.step(model.losses);
    const saved = await opt.getWeights();
    const values = saved.map((w) => Array.from(w.tensor.dataSync()));
    opt.step(model.losses);
    expect(saved.map((w) => Array.from(w.tensor.dataSync()))).toEqual(values);
    expect(saved.map((w) => w.name)).toContain('came-grad/inner/accBeta1');
    tf.dispose(saved.map((w) => w.tensor));
    opt.dispose();
    model.dispose();
  });
});

describe('configuration', () => {
  test('getConfig is JSON and fromConfig rebuilds the same configuration', () => {
    const model = createTwoTaskModel('config', 61);
    const opt = new MultiTaskOptimizer({
      inner: tf.train.adam(0.002, 0.8, 0.95, 1e-6),
      method: { id: 'came-grad', options: { rho: 0.4, kappa: 1.2, nu: 0.1, weights: [1, 4] } },
      variables: model.variables,
      paramScope: 'shared',
      sharedVariables: model.shared,
      clip: { value: 0.1 },
      forward: 'per-task',
    });
    const json = JSON.parse(JSON.stringify(opt.getConfig())) as tf.serialization.ConfigDict;
    expect(json['inner']).toEqual({ className: 'Adam', config: { learningRate: 0.002, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 } });
    expect(json['paramScope']).toBe('shared');
    expect(json['sharedVariables']).toEqual(model.shared.map((v) => v.name));
    const rebuilt = MultiTaskOptimizer.fromConfig(MultiTaskOptimizer, json) as MultiTaskOptimizer;
    expect(rebuilt.getConfig()).toEqual(json);
    expect(rebuilt.getClassName()).toBe('CameGradMultiTaskOptimizer');
    expect(rebuilt.aggregator.toConfig()).toEqual(opt.aggregator.toConfig());
    rebuilt.dispose();
    opt.dispose();
    model.dispose();
  });

  test('registerCameOptimizers makes the class resolvable by its fixed name', () => {
    registerCameOptimizers();
    const entry = tf.serialization.SerializationMap.getMap().classNameMap['CameGradMultiTaskOptimizer'];
    expect(entry?.[0]).toBe(MultiTaskOptimizer);
    const opt = new MultiTaskOptimizer({ inner: tf.train.sgd(0.1), method: 'mgda' });
    const [cls, fromConfig] = entry as NonNullable<typeof entry>;
    const copy = fromConfig(cls, opt.getConfig()) as unknown as MultiTaskOptimizer;
    expect(copy.getConfig()).toEqual(opt.getConfig());
    expect(copy.learningRate).toBe(0.1);
    copy.dispose();
    opt.dispose();
  });
});
