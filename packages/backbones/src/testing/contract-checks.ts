import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { BackboneAdapter, BackboneConfig, StepContext, TrainBatch } from '../contract';

/** What every contract check receives. */
export interface ContractCheckContext {
  /** The adapter under test (shared by the checks; some commit state). */
  readonly adapter: BackboneAdapter;
  /** A batch shaped by the adapter's `inputSpec`. */
  readonly batch: TrainBatch;
  /** Builds fresh adapters (no argument) or rebuilds one from `getConfig()`. */
  readonly factory: (config?: BackboneConfig) => BackboneAdapter;
  /** Studies in `batch`. */
  readonly batchSize: number;
  /** `maxLen` of the generation checks. */
  readonly maxLen: number;
  /** Measured optimizer steps of the leak check. */
  readonly steps: number;
}

const ctxAt = (step: number, overrides: Partial<StepContext> = {}): StepContext => ({
  training: true, step, epoch: 0, seed: 1000 + step, commitState: false, ...overrides,
});

function lossValues(losses: Record<string, tf.Scalar>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(losses)) out[k] = v.dataSync()[0] as number;
  tf.dispose(Object.values(losses));
  return out;
}

function snapshot(adapter: BackboneAdapter): Float32Array[] {
  return adapter.parameters.map((p) => Float32Array.from(p.variable.dataSync() as Float32Array));
}

function trainable(adapter: BackboneAdapter): tf.Variable[] {
  return [...adapter.sharedParameters, ...Object.values(adapter.taskParameters).flat()];
}

function taskNames(adapter: BackboneAdapter): string[] {
  return adapter.tasks.map((t) => t.name);
}

function isZero(t: tf.Tensor): boolean {
  return (t.dataSync() as Float32Array).every((x) => x === 0);
}

/** Declares a v1 contract: lm first, weights, disjoint variable sets that cover every variable. Throws (vitest assertion) on a violation. */
export function checkDeclarations(c: ContractCheckContext): void {
  const { adapter } = c;
  expect(adapter.specificationVersion).toBe('v1');
  expect(adapter.tasks[0]?.name).toBe('lm');
  expect(new Set(taskNames(adapter)).size).toBe(adapter.tasks.length);
  for (const t of adapter.tasks) {
    expect(Number.isFinite(t.weight) && t.weight >= 0, `weight of ${t.name}`).toBe(true);
    for (const step of [0, 1, 100, 10_000]) {
      const w = t.weightAt?.(step, 0) ?? t.weight;
      expect(Number.isFinite(w) && w >= 0, `weightAt(${step}) of ${t.name}`).toBe(true);
    }
  }
  expect(Object.keys(adapter.taskParameters).every((k) => taskNames(adapter).includes(k))).toBe(true);
  const owner = new Map<tf.Variable, string>();
  const claim = (v: tf.Variable, who: string): void => {
    expect(owner.get(v), `variable ${v.name} claimed by ${owner.get(v)} and ${who}`).toBeUndefined();
    owner.set(v, who);
  };
  adapter.sharedParameters.forEach((v) => claim(v, 'shared'));
  for (const [t, vars] of Object.entries(adapter.taskParameters)) vars.forEach((v) => claim(v, `task ${t}`));
  (adapter.frozenParameters ?? []).forEach((v) => claim(v, 'frozen'));
  const names = adapter.parameters.map((p) => p.name);
  expect(new Set(names).size).toBe(names.length);
  for (const p of adapter.parameters) expect(owner.has(p.variable), `parameter ${p.name} in no set`).toBe(true);
  expect(owner.size).toBe(adapter.parameters.length);
  if (adapter.paramGroups !== undefined) {
    const grouped = adapter.paramGroups.flatMap((g) => g.vars);
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(new Set(grouped)).toEqual(new Set(trainable(adapter)));
    for (const g of adapter.paramGroups) expect(g.lr >= 0 && g.weightDecay >= 0, `group ${g.name}`).toBe(true);
  }
}

/** Returns one finite scalar loss per task from one forward pass. Throws (vitest assertion) on a violation. */
export function checkFiniteLosses(c: ContractCheckContext): void {
  const { adapter, batch } = c;
  const { losses } = adapter.forward(batch, ctxAt(0));
  expect(Object.keys(losses).sort()).toEqual(taskNames(adapter).sort());
  for (const [name, loss] of Object.entries(losses)) {
    expect(loss.rank, `rank of ${name}`).toBe(0);
    expect(Number.isFinite(loss.dataSync()[0]), `loss ${name}`).toBe(true);
  }
  tf.dispose(Object.values(losses));
}

/** Computes under `only` exactly the losses of the full pass. Throws (vitest assertion) on a violation. */
export function checkOnlyMatchesFull(c: ContractCheckContext): void {
  const { adapter, batch } = c;
  const ctx = ctxAt(1);
  const full = lossValues(adapter.forward(batch, ctx).losses);
  for (const t of taskNames(adapter)) {
    const part = lossValues(adapter.forward(batch, ctx, [t]).losses);
    expect(Object.keys(part)).toEqual([t]);
    expect(part[t]).toBe(full[t]);
  }
}

/** Sends gradients only to the variables each task declares. Throws (vitest assertion) on a violation. */
export function checkGradientReach(c: ContractCheckContext): void {
  const { adapter, batch } = c;
  const ctx = ctxAt(2);
  const all = [...trainable(adapter), ...(adapter.frozenParameters ?? [])];
  const reached = new Map<tf.Variable, string[]>();
  // Messages use the adapter's stable names; tfjs names are counters.
  const named = new Map(adapter.parameters.map((p) => [p.variable, p.name]));
  const label = (v: tf.Variable): string => `${named.get(v) ?? v.name} (reached by ${JSON.stringify(reached.get(v) ?? [])})`;
  for (const t of taskNames(adapter)) {
    const { value, grads } = tf.variableGrads(() => {
      const { losses } = adapter.forward(batch, ctx);
      return losses[t] as tf.Scalar;
    }, all);
    for (const v of all) {
      const g = grads[v.name];
      if (g !== undefined && g !== null && !isZero(g)) reached.set(v, [...(reached.get(v) ?? []), t]);
    }
    tf.dispose([value, ...Object.values(grads)]);
  }
  for (const [t, vars] of Object.entries(adapter.taskParameters)) {
    for (const v of vars) expect(reached.get(v), `task-specific ${label(v)} of ${t}`).toEqual([t]);
  }
  for (const v of adapter.sharedParameters) expect(reached.get(v)?.length ?? 0, `shared ${label(v)}`).toBeGreaterThanOrEqual(2);
  for (const v of adapter.frozenParameters ?? []) expect(reached.get(v), `frozen ${label(v)}`).toBeUndefined();
}

/** Gives the same losses for the same seed, in training and in evaluation. Throws (vitest assertion) on a violation. */
export function checkDeterminism(c: ContractCheckContext): void {
  const { adapter, batch } = c;
  for (const ctx of [ctxAt(3), ctxAt(3, { training: false })]) {
    const a = lossValues(adapter.forward(batch, ctx).losses);
    const b = lossValues(adapter.forward(batch, ctx).losses);
    expect(b).toEqual(a);
  }
}

/** Mutates state only in commitState, and commitState leaves trainable variables alone. Throws (vitest assertion) on a violation. */
export function checkStateMutation(c: ContractCheckContext): void {
  const { adapter, batch, maxLen } = c;
  const before = snapshot(adapter);
  const ctx = ctxAt(4);
  tf.dispose(Object.values(adapter.forward(batch, ctx).losses));
  // One backward through the sum of all losses reaches every task's variables.
  const { value, grads } = tf.variableGrads(() => tf.addN(Object.values(adapter.forward(batch, ctx).losses)) as tf.Scalar, trainable(adapter));
  tf.dispose([value, ...Object.values(grads)]);
  const generated = adapter.generate(batch, { beamSize: 2, maxLen });
  generated.clsProbs?.dispose();
  expect(snapshot(adapter)).toEqual(before);
  if (adapter.commitState === undefined) return;
  adapter.commitState(batch, { ...ctx, commitState: true });
  const after = snapshot(adapter);
  const trainableSet = new Set(trainable(adapter));
  adapter.parameters.forEach((p, i) => {
    if (trainableSet.has(p.variable)) expect(after[i], `trainable ${p.name} changed by commitState`).toEqual(before[i]);
  });
}

/** Leaks no tensors over optimizer steps with per-task gradients and generation. Throws (vitest assertion) on a violation. */
export function checkNoLeaks(c: ContractCheckContext): void {
  const { adapter, batch, factory, steps } = c;
  const local = factory(adapter.getConfig());
  const optimizer = tf.train.sgd(1e-3);
  const step = (i: number): void => {
    const ctx = ctxAt(10 + i);
    for (const t of local.tasks.map((x) => x.name)) {
      const vars = [...local.sharedParameters, ...(local.taskParameters[t] ?? [])];
      const { value, grads } = tf.variableGrads(() => local.forward(batch, ctx, [t]).losses[t] as tf.Scalar, vars);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      optimizer.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    local.commitState?.(batch, { ...ctx, commitState: true });
    local.generate(batch, { beamSize: 2, maxLen: 3 }).clsProbs?.dispose();
  };
  try {
    step(0);
    const baseline = tf.memory().numTensors;
    for (let i = 1; i <= steps; i++) step(i);
    expect(tf.memory().numTensors).toBe(baseline);
  } finally {
    optimizer.dispose();
    local.dispose();
  }
}

/** Generates one string per study within maxLen, with beams, minLen and trigram blocking. Throws (vitest assertion) on a violation. */
export function checkGenerate(c: ContractCheckContext): void {
  const { adapter, batch, batchSize, maxLen } = c;
  const vocab = adapter.tokenizer;
  for (const opts of [
    { beamSize: 1, maxLen },
    { beamSize: 3, maxLen, minLen: 2, blockTrigrams: true },
  ]) {
    const before = tf.memory().numTensors;
    const { texts, clsProbs } = adapter.generate({ images: batch.images, ...(batch.aux === undefined ? {} : { aux: batch.aux }) }, opts);
    if (clsProbs !== undefined) {
      expect(clsProbs.shape[0]).toBe(batchSize);
      clsProbs.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(texts).toHaveLength(batchSize);
    for (const text of texts) {
      const words = text.length === 0 ? [] : text.split(' ');
      expect(words.length).toBeLessThanOrEqual(opts.maxLen);
      expect(vocab.decode(vocab.encode(text))).toBe(text);
    }
  }
}

/** Round-trips its configuration through JSON into an identical adapter. Throws (vitest assertion) on a violation. */
export function checkConfigRoundTrip(c: ContractCheckContext): void {
  const { batch, factory } = c;
  // A fresh adapter: the shared one may hold committed state by now.
  const original = factory();
  const config = original.getConfig();
  expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  const copy = factory(JSON.parse(JSON.stringify(config)) as BackboneConfig);
  try {
    expect(copy.name).toBe(original.name);
    expect(copy.getConfig()).toEqual(config);
    expect(copy.parameters.map((p) => p.name)).toEqual(original.parameters.map((p) => p.name));
    expect(snapshot(copy)).toEqual(snapshot(original));
    const ctx = ctxAt(5);
    expect(lossValues(copy.forward(batch, ctx).losses)).toEqual(lossValues(original.forward(batch, ctx).losses));
  } finally {
    copy.dispose();
    original.dispose();
  }
}

/** Has a tokenizer whose encode inverts decode on vocabulary words. Throws (vitest assertion) on a violation. */
export function checkTokenizer(c: ContractCheckContext): void {
  const { adapter } = c;
  const tok = adapter.tokenizer;
  expect(Number.isInteger(tok.vocabSize) && tok.vocabSize >= 2).toBe(true);
  for (const id of [tok.bos, tok.eos, tok.pad]) expect(id >= 0 && id < tok.vocabSize).toBe(true);
  const ids = Array.from({ length: Math.min(20, tok.vocabSize) }, (_, i) => i).filter((i) => i !== tok.eos && i !== tok.pad && i !== tok.bos);
  expect(tok.encode(tok.decode(ids))).toEqual(ids);
}

/** Matches forward through encodeShared + lossesFromShared, when the adapter has them. Throws (vitest assertion) on a violation. */
export function checkRepresentationSplit(c: ContractCheckContext): void {
  const { adapter, batch } = c;
  if (adapter.encodeShared === undefined || adapter.lossesFromShared === undefined) return;
  const ctx = ctxAt(6);
  const h = adapter.encodeShared(batch, ctx);
  const split = lossValues(adapter.lossesFromShared(h, batch, ctx));
  h.dispose();
  expect(split).toEqual(lossValues(adapter.forward(batch, ctx).losses));
}

/** Every check of the contract suite with its test title, in suite order. */
export const CONTRACT_CHECKS: readonly { readonly title: string; readonly run: (c: ContractCheckContext) => void }[] = Object.freeze([
  { title: 'declares a v1 contract: lm first, weights, disjoint variable sets that cover every variable', run: checkDeclarations },
  { title: 'returns one finite scalar loss per task from one forward pass', run: checkFiniteLosses },
  { title: 'computes under `only` exactly the losses of the full pass', run: checkOnlyMatchesFull },
  { title: 'sends gradients only to the variables each task declares', run: checkGradientReach },
  { title: 'gives the same losses for the same seed, in training and in evaluation', run: checkDeterminism },
  { title: 'mutates state only in commitState, and commitState leaves trainable variables alone', run: checkStateMutation },
  { title: 'leaks no tensors over optimizer steps with per-task gradients and generation', run: checkNoLeaks },
  { title: 'generates one string per study within maxLen, with beams, minLen and trigram blocking', run: checkGenerate },
  { title: 'round-trips its configuration through JSON into an identical adapter', run: checkConfigRoundTrip },
  { title: 'has a tokenizer whose encode inverts decode on vocabulary words', run: checkTokenizer },
  { title: 'matches forward through encodeShared + lossesFromShared, when the adapter has them', run: checkRepresentationSplit },
]);
