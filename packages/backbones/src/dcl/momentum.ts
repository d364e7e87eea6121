import * as tf from '@tensorflow/tfjs-core';
import { ContractError } from '@came-grad/optim-core';
import { stopGradient } from '../blocks/stop-gradient';
import type { NamedParameter, TrainBatch } from '../contract';
import { INFERENCE_SCOPE } from '../params/forward-scope';
import { ParameterStore } from '../params/parameter-store';
import type { Initializer } from '../random/initializers';
import type { DclConfig } from './config';
import { clsState, DclModel } from './model';

/** A store whose variables are all non-trainable (momentum copies, queues). */
class FrozenStore extends ParameterStore {
  override add(name: string, shape: readonly number[], init: Initializer): tf.Variable {
    return super.add(name, shape, init, false);
  }
}

/** Momentum features of a batch, as constants. */
export interface MomentumFeatures {
  /** `[B, itcDim]` unit image features. */
  readonly image: tf.Tensor2D;
  /** `[B, itcDim]` unit text features. */
  readonly text: tf.Tensor2D;
  /** `[B, d]` text CLS states: the report embeddings the knowledge queue stores. */
  readonly report: tf.Tensor2D;
}

function unitRows(v: tf.Variable): void {
  const next = tf.tidy(() => tf.div(v, tf.add(tf.norm(v, 'euclidean', 1, true), 1e-12)));
  v.assign(next);
  next.dispose();
}

/**
 * DCL's non-trainable state: the momentum copy of the ITC path (ViT, `iuProj`, graph, fusion, text
 * encoder, projections), the image and text feature queues `[Q, itcDim]`, the knowledge queue
 * `[Q, d]` of report embeddings (momentum text CLS states, standing in for the RadGraph triplets
 * of the retrieved reports) and the queue pointer. Everything is a frozen variable, so it is
 * checkpointed with the weights and a resumed run continues exactly. Only {@link DclMomentum.commit}
 * changes it.
 */
export class DclMomentum {
  readonly store: FrozenStore;
  readonly model: DclModel;
  readonly imageQueue: tf.Variable;
  readonly textQueue: tf.Variable;
  readonly knowledgeQueue: tf.Variable;
  readonly pointer: tf.Variable;
  readonly #pairs: [tf.Variable, tf.Variable][] = [];

  /** Builds the copy under `momentum.`, copies the online values, and draws unit random queues (as BLIP). */
  constructor(readonly config: DclConfig, vocabSize: number, online: readonly NamedParameter[]) {
    this.store = new FrozenStore(config.seed);
    this.model = new DclModel(this.store, config, vocabSize, 'momentum.', true);
    const byName = new Map(online.map((p) => [p.name, p.variable]));
    for (const p of this.store.entries()) {
      const source = byName.get(p.name.slice('momentum.'.length));
      if (source === undefined) throw new Error(`came-grad internal invariant violated: momentum ${p.name} has no online twin`);
      p.variable.assign(source);
      this.#pairs.push([p.variable, source]);
    }
    const q = config.queueSize;
    this.imageQueue = this.store.add('queues.image', [q, config.itcDim], { kind: 'normal', std: 1 });
    this.textQueue = this.store.add('queues.text', [q, config.itcDim], { kind: 'normal', std: 1 });
    this.knowledgeQueue = this.store.add('queues.knowledge', [q, config.dModel], { kind: 'normal', std: 1 });
    this.pointer = this.store.add('queues.pointer', [], { kind: 'zeros' });
    unitRows(this.imageQueue);
    unitRows(this.textQueue);
  }

  /**
   * Specific knowledge of each study: the knowledge-queue rows of the `k` queued reports whose
   * text features are most similar to the study's momentum image feature (retrieval by image
   * features, at training and at inference). Returns constants `[B, k, d]`.
   */
  retrieve(images: tf.Tensor5D): tf.Tensor3D {
    const m = this.model;
    const k = this.config.retrievedNodes;
    const query = m.imageFeature(m.imageTokens(images, INFERENCE_SCOPE));
    const scores = stopGradient(tf.matMul(query, this.textQueue, false, true)).dataSync() as Float32Array;
    const b = query.shape[0];
    const q = this.config.queueSize;
    const picked = new Int32Array(b * k);
    const order = Array.from({ length: q }, (_, i) => i);
    for (let i = 0; i < b; i++) {
      const row = scores.subarray(i * q, (i + 1) * q);
      order.sort((x, y) => (row[y] as number) - (row[x] as number) || x - y);
      for (let j = 0; j < k; j++) picked[i * k + j] = order[j] as number;
    }
    const rows = tf.gather(this.knowledgeQueue, tf.tensor1d(picked, 'int32'));
    return stopGradient(tf.reshape(rows, [b, k, this.config.dModel]) as tf.Tensor3D);
  }

  /** Momentum features of a batch (no dropout; constants). */
  features(batch: TrainBatch, retrieved: tf.Tensor3D): MomentumFeatures {
    const m = this.model;
    const image = m.imageFeature(m.fuse(m.imageTokens(batch.images, INFERENCE_SCOPE), retrieved, INFERENCE_SCOPE));
    const report = clsState(m.textStates('text', batch.reportIds, batch.reportMask, undefined, INFERENCE_SCOPE));
    return { image: stopGradient(image), text: stopGradient(m.textFeature(report)), report: stopGradient(report) };
  }

  /**
   * One optimizer step's state update, in BLIP's order: the batch's momentum features (from the
   * copy the step's forward used) are enqueued at the pointer, then the copy moves towards the
   * online weights, `m ← μ·m + (1 − μ)·θ`.
   * @throws ContractError when the queue size is not a multiple of the batch size
   */
  commit(batch: TrainBatch): void {
    const b = batch.images.shape[0];
    const q = this.config.queueSize;
    if (q % b !== 0) throw new ContractError('commitState', `\`queueSize\` should be divisible by the batch size ${b} (DCL's queue assertion). Found ${q}.`);
    const ptr = Math.round(this.pointer.dataSync()[0] as number);
    tf.tidy(() => {
      const f = this.features(batch, this.retrieve(batch.images));
      const write = (queue: tf.Variable, rows: tf.Tensor2D): void => {
        const parts = [tf.slice(queue, [0, 0], [ptr, -1]), rows, tf.slice(queue, [ptr + b, 0], [q - ptr - b, -1])];
        queue.assign(tf.concat(parts, 0));
      };
      write(this.imageQueue, f.image);
      write(this.textQueue, f.text);
      write(this.knowledgeQueue, f.report);
      this.pointer.assign(tf.scalar((ptr + b) % q));
      const mu = this.config.momentum;
      for (const [m, online] of this.#pairs) m.assign(tf.add(tf.mul(m, mu), tf.mul(online, 1 - mu)));
    });
  }

  /** Frees every variable. */
  dispose(): void {
    this.store.dispose();
  }
}
